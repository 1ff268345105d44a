// Checking an opened ballot (spec/protocol.md#14.4), on a page of its own: anyone types the
// tracking code of a ballot a voter chose to check; the page fetches the entry from the
// public board and, on this device, checks its signature and that its opening re-encrypts
// to its ciphertexts (V13), then shows the choices by name. It shares no state with the
// booth; `suffrage verify` and `suffrage monitor` make the same checks from the command line.
import { ballotHash, checkSchnorr, elementFromHex, fingerprint, readElection, reencrypts, scalarFromHex } from "../crypto/index.js";
import { fill, h } from "./dom.js";
import { CATALOGS, LANGUAGE_NAMES, direction, local, t } from "./i18n.js";
import { openedList } from "./opened.js";

const root = /** @type {HTMLElement} */ (document.getElementById("check"));
const state = { language: "en", languages: Object.keys(CATALOGS), code: "", outcome: /** @type {any} */ (null), manifest: /** @type {any} */ (null) };
const say = (key, values) => t(state.language, key, values);

async function getJson(path) {
  const answer = await fetch(path, { headers: { Accept: "application/json", "Accept-Language": state.language } });
  const body = await answer.json().catch(() => null);
  if (!answer.ok) throw Object.assign(new Error(body?.error?.message || `HTTP ${answer.status}`), { status: answer.status });
  return body;
}

/** The signature of a ballot (6.1, 13.3): true when it holds. */
function signed(election, ballot) {
  try {
    const { baseHash } = readElection(election);
    checkSchnorr(
      { commitment: elementFromHex(ballot.signature.commitment, "signature"), response: scalarFromHex(ballot.signature.response, "signature") },
      { publicKey: elementFromHex(ballot.credential, "credential"), context: baseHash, purpose: "ballot-signature", message: ballotHash(election, ballot) },
    );
    return true;
  } catch {
    return false;
  }
}

async function check(code) {
  state.code = code;
  try {
    const [found, manifest, election] = await Promise.all([
      getJson(`/api/entries/${encodeURIComponent(code)}`),
      getJson("/api/manifest"),
      getJson("/api/record/election.json"),
    ]);
    state.manifest = manifest;
    const entry = found.entry;
    if (entry.state !== "spoiled") {
      state.outcome = { kind: "cast" };
    } else {
      state.outcome = {
        kind: "opened",
        entry,
        fingerprint: fingerprint(ballotHash(election, entry.ballot)),
        signed: signed(election, entry.ballot),
        matches: reencrypts(election, entry.ballot, entry.reveal),
      };
    }
  } catch (error) {
    state.outcome = { kind: "error", message: /** @type {any} */ (error).status === 404 ? say("check.not_found") : /** @type {Error} */ (error).message };
  }
  render();
  root.querySelector("#result")?.focus();
}

function result() {
  const outcome = state.outcome;
  if (!outcome) return null;
  if (outcome.kind === "error") return h("p", { class: "error", role: "alert" }, outcome.message);
  if (outcome.kind === "cast") return h("p", {}, say("check.cast"));
  const text = (localized) => local(localized, state.language, state.manifest.languages);
  const contests = new Map(state.manifest.contests.map((c) => [c.contest_id, c]));
  return h(
    "div",
    {},
    h("p", { dir: "auto" }, say("check.fingerprint", { fingerprint: outcome.fingerprint })),
    h("p", { class: outcome.signed ? "good" : "error" }, say(outcome.signed ? "check.signature" : "check.unsigned")),
    h("p", { class: outcome.matches ? "good" : "error" }, say(outcome.matches ? "checked.matches" : "checked.mismatch")),
    h("p", {}, say("check.choices")),
    h(
      "ol",
      { class: "summary" },
      outcome.entry.ballot.contests.map((c) => {
        const contest = contests.get(c.contest_id);
        const opened = openedList(contest, outcome.entry.reveal[c.contest_id].values, (o) => text(o.name));
        return h(
          "li",
          { class: "summary-item" },
          h("h2", {}, text(contest.title)),
          opened ?? h("p", {}, say("review.none")),
        );
      }),
    ),
  );
}

function render() {
  document.documentElement.lang = state.language;
  document.documentElement.dir = direction(state.language);
  document.title = say("check.heading");
  fill(
    root,
    h(
      "header",
      { class: "bar" },
      h("div", { class: "setting" },
        h("label", { for: "language" }, say("settings.language")),
        h("select", { id: "language", on: { change: (e) => { state.language = e.target.value; render(); } } },
          state.languages.map((code) => h("option", { value: code, lang: code, selected: code === state.language }, LANGUAGE_NAMES[code])))),
    ),
    h("h1", {}, say("check.heading")),
    h("p", { id: "check-help" }, say("check.help")),
    h(
      "form",
      { on: { submit: (e) => { e.preventDefault(); check(/** @type {HTMLInputElement} */ (root.querySelector("#code")).value.trim()); } } },
      h("label", { for: "code" }, say("check.label")),
      h("input", { id: "code", class: "code", type: "text", autocomplete: "off", spellcheck: "false", dir: "ltr", value: state.code, "aria-describedby": "check-help" }),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, say("check.submit"))),
    ),
    h("section", { id: "result", tabindex: "-1", "aria-live": "polite" }, result()),
  );
}

const preferred = (navigator.languages || []).map((l) => l.split("-")[0]);
state.language = new URLSearchParams(location.search).get("lang") || preferred.find((l) => CATALOGS[l]) || "en";
if (!CATALOGS[state.language]) state.language = "en";
render();
const fromAddress = () => {
  const code = decodeURIComponent(location.hash.slice(1));
  if (code) check(code);
};
window.addEventListener("hashchange", fromAddress);
fromAddress();

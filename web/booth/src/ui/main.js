// The voter's booth: language, credential, the contests of the voter's ballot style one at
// a time, review, encryption on this device, then cast or check (the Benaloh challenge),
// and the receipt. The credential code and the choices never leave this page unencrypted;
// the page talks to the election server that served it, and to nothing else.
import { CredentialCodeError, credentialKeys, encryptBallot, normaliseCode, reencrypts } from "../crypto/index.js";
import { choicesOf, moveRank, rankNext, ruleOf, selectionLimit, toggle, unrank } from "./contests.js";
import { fill, h } from "./dom.js";
import { CATALOGS, LANGUAGE_NAMES, direction, local, t } from "./i18n.js";
import { openedList } from "./opened.js";

const TEXT_SIZES = [100, 125, 150, 175, 200];
const IDLE_MS = 10 * 60 * 1000;

/** Everything the booth knows; reset by `finish` (nothing is kept after the session). */
const state = {
  manifest: /** @type {any} */ (null),
  election: /** @type {any} */ (null),
  languages: /** @type {string[]} */ ([]),
  language: "en",
  screen: "language",
  code: "",
  typed: "",
  styleId: "",
  contests: /** @type {any[]} */ ([]),
  position: 0,
  marks: /** @type {Record<string, number[]>} */ ({}),
  sealed: /** @type {any} */ (null),
  outcome: /** @type {any} */ (null),
  textSize: 0,
  contrast: false,
  audio: false,
  message: "",
  event: "",
  error: "",
  busy: "",
};

const root = /** @type {HTMLElement} */ (document.getElementById("booth"));
const view = h("div", { class: "view" });
const status = h("p", { id: "status", class: "visually-hidden", role: "status", "aria-live": "polite" });
root.replaceChildren(view, status);
const say = (key, values) => t(state.language, key, values);
const text = (localized) => local(localized, state.language, state.manifest.languages);

// ---------------------------------------------------------------- the election server

async function getJson(path) {
  const answer = await fetch(path, { headers: { Accept: "application/json", "Accept-Language": state.language } });
  const body = await answer.json().catch(() => null);
  if (!answer.ok) {
    const error = new Error(body?.error?.message || `HTTP ${answer.status}`);
    /** @type {any} */ (error).status = answer.status;
    throw error;
  }
  return body;
}

async function postBallot(body) {
  let answer;
  try {
    answer = await fetch("/api/ballots", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": state.language },
      body: JSON.stringify(body),
    });
  } catch {
    return { network: true };
  }
  const json = await answer.json().catch(() => null);
  if (!answer.ok) return { refused: json?.error?.message || `HTTP ${answer.status}` };
  return { ack: json };
}

// ---------------------------------------------------------------- rendering

function render(focusHeading = true) {
  const language = state.language;
  document.documentElement.lang = language;
  document.documentElement.dir = direction(language);
  document.documentElement.dataset.textSize = String(TEXT_SIZES[state.textSize]);
  document.documentElement.classList.toggle("high-contrast", state.contrast);
  document.title = state.manifest ? `${text(state.manifest.title)} · ${say("app.name")}` : say("app.name");
  const screen = SCREENS[state.screen]();
  fill(
    view,
    h("a", { class: "skip", href: "#screen" }, say("app.skip")),
    header(),
    h("div", { id: "screen", class: "screen", tabindex: "-1" }, screen),
  );
  // The live region outlives the renders (a region made anew is not announced); what it
  // says is also on the screen, next to what the voter just did.
  if (status.textContent !== state.message) status.textContent = state.message;
  if (focusHeading) root.querySelector("h1")?.focus();
  if (state.audio && focusHeading) speak(spokenScreen());
}

function header() {
  const election = state.manifest ? text(state.manifest.title) : "";
  return h(
    "header",
    { class: "bar" },
    h("p", { class: "election" }, election),
    h(
      "div",
      { class: "settings", role: "group", "aria-label": say("settings.label") },
      h(
        "div",
        { class: "setting" },
        h("label", { for: "language" }, say("settings.language")),
        h(
          "select",
          { id: "language", on: { change: (e) => chooseLanguage(e.target.value) } },
          state.languages.map((code) =>
            h("option", { value: code, lang: code, selected: code === state.language }, LANGUAGE_NAMES[code]),
          ),
        ),
      ),
      h(
        "div",
        { class: "setting sizes", role: "group", "aria-label": say("settings.text") },
        h("button", {
          type: "button", class: "small", disabled: state.textSize === 0, on: { click: () => resize(-1) },
        }, h("span", { "aria-hidden": "true" }, "A−"), h("span", { class: "visually-hidden" }, say("settings.smaller"))),
        h("span", { class: "size", "aria-live": "polite" }, new Intl.NumberFormat(state.language, { style: "percent" }).format(TEXT_SIZES[state.textSize] / 100)),
        h("button", {
          type: "button", class: "small", disabled: state.textSize === TEXT_SIZES.length - 1, on: { click: () => resize(1) },
        }, h("span", { "aria-hidden": "true" }, "A+"), h("span", { class: "visually-hidden" }, say("settings.larger"))),
      ),
      h("button", {
        type: "button", class: "small", "aria-pressed": String(state.contrast),
        on: { click: () => { state.contrast = !state.contrast; render(false); } },
      }, say("settings.contrast")),
      h("button", {
        type: "button", class: "small", "aria-pressed": String(state.audio),
        on: { click: toggleAudio },
      }, say("settings.audio")),
    ),
  );
}

function heading(key, values) {
  return h("h1", { tabindex: "-1" }, say(key, values));
}

function button(label, onClick, { primary = false, describedBy = undefined, id = undefined } = {}) {
  return h("button", { type: "button", id, class: primary ? "primary" : "secondary", "aria-describedby": describedBy, on: { click: onClick } }, label);
}

const SCREENS = {
  language() {
    return h(
      "section",
      { "aria-labelledby": "language-heading" },
      h("h1", { id: "language-heading", tabindex: "-1" }, say("language.heading")),
      h("p", {}, say("language.help")),
      h(
        "ul",
        { class: "choices languages" },
        state.languages.map((code) =>
          h("li", {}, h("button", {
            type: "button", class: "choice", lang: code, dir: direction(code),
            on: { click: () => { chooseLanguage(code); go("credential"); } },
          }, LANGUAGE_NAMES[code])),
        ),
      ),
    );
  },

  credential() {
    const invalid = Boolean(state.error);
    return h(
      "form",
      { class: "credential", novalidate: true, on: { submit: (e) => { e.preventDefault(); submitCode(); } } },
      heading("credential.heading"),
      h("label", { for: "code" }, say("credential.label")),
      h("p", { id: "code-help", class: "help" }, say("credential.help")),
      h("input", {
        id: "code", name: "code", type: "text", inputmode: "text", autocomplete: "off",
        autocapitalize: "characters", spellcheck: "false", dir: "ltr", class: "code",
        "aria-describedby": invalid ? "code-error code-help" : "code-help",
        "aria-invalid": invalid ? "true" : undefined, value: state.typed,
        on: { input: (e) => { state.typed = e.target.value; } },
      }),
      h("p", { id: "code-error", class: "error", role: "alert" }, state.error),
      h("p", { class: "help" }, say("credential.privacy")),
      h("p", { class: "help" }, say("credential.closes", { date: when(state.manifest.end) })),
      h("button", { type: "submit", class: "primary", disabled: Boolean(state.busy) }, state.busy || say("credential.continue")),
    );
  },

  contest() {
    const contest = state.contests[state.position];
    if (contest.kind === "ranked") return rankedContest(contest);
    const marks = state.marks[contest.contest_id];
    const limit = selectionLimit(contest);
    const [rule, values] = ruleOf(contest);
    const last = state.position === state.contests.length - 1;
    const single = limit === 1;
    return h(
      "section",
      { class: "contest" },
      h("p", { class: "progress" }, say("contest.progress", { n: state.position + 1, total: state.contests.length })),
      h(
        "fieldset",
        { "aria-describedby": "rule tally" },
        h("legend", {}, h("h1", { tabindex: "-1" }, text(contest.title))),
        h("p", { id: "rule", class: "rule" }, say(rule, values)),
        h(
          "ul",
          { class: "choices options" },
          contest.options.map((option, index) => {
            const id = `option-${index}`;
            const chosen = marks.includes(index);
            return h(
              "li",
              { class: chosen ? "option chosen" : "option" },
              h("input", {
                id, type: single ? "radio" : "checkbox", name: contest.contest_id, checked: chosen,
                on: { click: (e) => { e.preventDefault(); mark(index); } },
              }),
              h(
                "label",
                { for: id },
                h("span", { class: "name" }, text(option.name)),
                option.party ? h("span", { class: "party" }, text(option.party)) : null,
              ),
            );
          }),
        ),
        h("p", { id: "tally", class: "tally" }, marks.length ? say("status.chosen", { n: marks.length, max: limit }) : say("status.none")),
        state.event ? h("p", { class: "event" }, state.event) : null,
      ),
      ...contestFooter(last),
    );
  },

  review() {
    return h(
      "section",
      { class: "review" },
      heading("review.heading"),
      h("p", {}, say("review.help")),
      h(
        "ol",
        { class: "summary" },
        state.contests.map((contest, position) => {
          const marks = state.marks[contest.contest_id];
          const limit = selectionLimit(contest);
          const id = `review-${position}`;
          return h(
            "li",
            { class: "summary-item" },
            h("h2", { id }, text(contest.title)),
            marks.length ? chosenList(contest, marks) : h("p", { class: "notice" }, say("review.none")),
            marks.length && marks.length < limit && contest.kind === "plurality"
              ? h("p", { class: "notice" }, say("review.fewer", { n: marks.length, max: limit }))
              : null,
            h("button", {
              type: "button", class: "secondary", "aria-describedby": id,
              on: { click: () => { state.position = position; go("contest"); } },
            }, say("review.change")),
          );
        }),
      ),
      h("nav", { class: "pager" }, button(say("review.seal"), seal, { primary: true })),
    );
  },

  sealing() {
    return h("section", { class: "busy" }, heading("busy.sealing"), h("div", { class: "spinner", "aria-hidden": "true" }));
  },

  sealed() {
    return h(
      "section",
      { class: "sealed" },
      heading("sealed.heading"),
      h("p", { class: "label" }, say("sealed.fingerprint")),
      h("p", { class: "code-display", dir: "ltr" }, state.sealed.fingerprint),
      h("p", {}, say("sealed.explain")),
      state.error ? h("p", { class: "error", role: "alert" }, state.error) : null,
      h(
        "div",
        { class: "decision" },
        button(say("sealed.cast"), () => send(false), { primary: true }),
        button(say("sealed.check"), () => send(true)),
      ),
      h("nav", { class: "pager" }, button(say("sealed.back"), () => { state.sealed = null; go("review"); })),
    );
  },

  sending() {
    return h("section", { class: "busy" }, heading("busy.sending"), h("div", { class: "spinner", "aria-hidden": "true" }));
  },

  checked() {
    const { sealed, ack, matches } = state.outcome;
    return h(
      "section",
      { class: "checked" },
      heading("checked.heading"),
      h("p", {}, say("checked.explain", { fingerprint: sealed.fingerprint })),
      h(
        "ol",
        { class: "summary" },
        state.contests.map((contest) => {
          const opened = openedList(contest, sealed.reveal[contest.contest_id].values, optionLabel);
          return h(
            "li",
            { class: "summary-item" },
            h("h2", {}, text(contest.title)),
            opened ?? h("p", {}, say("review.none")),
          );
        }),
      ),
      h("p", { class: matches ? "good" : "error", role: matches ? undefined : "alert" }, say(matches ? "checked.matches" : "checked.mismatch")),
      h("p", {}, ...withCode("checked.published", ack.display_code)),
      h("p", {}, h("a", { href: `/check?lang=${state.language}#${ack.display_code}`, target: "_blank", rel: "noopener" }, say("checked.verify"))),
      h("nav", { class: "pager" }, button(say("checked.again"), () => { state.sealed = null; state.outcome = null; go("review"); }, { primary: true })),
    );
  },

  receipt() {
    const { ack } = state.outcome;
    return h(
      "section",
      { class: "receipt" },
      heading("receipt.heading"),
      h("p", { class: "label" }, say("receipt.code")),
      h("p", { class: "code-display", dir: "ltr" }, ack.display_code),
      h("p", {}, say("receipt.keep")),
      h("p", {}, h("a", { href: `/api/entries/${ack.display_code}` }, say("receipt.lookup"))),
      h("p", {}, say("receipt.revote")),
      h("nav", { class: "pager" }, button(say("receipt.done"), finish, { primary: true })),
    );
  },

  finished() {
    return h("section", {}, heading("busy.finished"));
  },

  failed() {
    return h("section", {}, heading("error.load", { message: state.error }));
  },
};

/**
 * A ranked contest's screen (VVSG 2.0 7.2-C: the ranking changes only on an explicit
 * command, never by dragging, focus or selection). The ranking is shown as an ordered list
 * "Your ranking", first preference first, and the options not ranked as a second list in
 * manifest order, rather than fixed options with a rank beside each: the voter then sees
 * (and a screen reader reads) the ranking exactly as it will be counted, and each list's
 * order changes only when the voter presses one of its buttons. Every command is a
 * <button> (Tab to it, Enter or Space: one key, no chord, no timed press, so a switch
 * works), named with its option; after each the focus stays on the moved option's same
 * button, and the status region says where the option now stands.
 */
function rankedContest(contest) {
  const marks = state.marks[contest.contest_id];
  const total = contest.options.length;
  const [rule, values] = ruleOf(contest);
  const last = state.position === state.contests.length - 1;
  const unranked = contest.options.map((_, index) => index).filter((index) => !marks.includes(index));
  // A command's accessible name starts with its visible words ("Move up: Ana López"), so
  // that speech input finds it by what it shows (WCAG 2.5.3). At the top (bottom) "Move up"
  // ("Move down") stays focusable with aria-disabled, so that the focus stays on it after the
  // move that took the option there, and pressing it says why nothing moved.
  const command = (id, label, name, onClick, { edge = false, icon = "" } = {}) =>
    h("button", {
      type: "button", id, class: edge ? "secondary command edge" : "secondary command",
      "aria-label": name, "aria-disabled": edge ? "true" : undefined, on: { click: onClick },
    }, icon ? h("span", { class: "icon", "aria-hidden": "true" }, icon) : null, label);
  const named = (index) => ({ name: optionLabel(contest.options[index]) });
  return h(
    "section",
    { class: "contest ranked" },
    h("p", { class: "progress" }, say("contest.progress", { n: state.position + 1, total: state.contests.length })),
    h(
      "fieldset",
      { "aria-describedby": "rule rank-help tally" },
      h("legend", {}, h("h1", { tabindex: "-1" }, text(contest.title))),
      h("p", { id: "rule", class: "rule" }, say(rule, values)),
      h("p", { id: "rank-help", class: "help" }, say("rank.help")),
      h("h2", { id: "ranking-heading" }, say("rank.ranking")),
      marks.length
        ? h(
          "ol",
          { class: "choices ranking", "aria-labelledby": "ranking-heading" },
          marks.map((index, k) => h(
            "li",
            { class: "option ranked-option" },
            h("span", { class: "rank" }, ordinal(k + 1)),
            optionText(contest.options[index]),
            h(
              "div",
              { class: "commands" },
              command(`rank-up-${index}`, say("rank.up"), say("rank.up_named", named(index)), () => rankCommand("up", index), { edge: k === 0, icon: "↑" }),
              command(`rank-down-${index}`, say("rank.down"), say("rank.down_named", named(index)), () => rankCommand("down", index), { edge: k === marks.length - 1, icon: "↓" }),
              command(`rank-remove-${index}`, say("rank.remove"), say("rank.remove_named", named(index)), () => rankCommand("remove", index)),
            ),
          )),
        )
        : h("p", { class: "empty" }, say("rank.empty")),
      h("h2", { id: "unranked-heading" }, say("rank.unranked")),
      unranked.length
        ? h(
          "ul",
          { class: "choices unranked", "aria-labelledby": "unranked-heading" },
          unranked.map((index) => h(
            "li",
            { class: "option unranked-option" },
            optionText(contest.options[index]),
            h("div", { class: "commands" }, command(`rank-add-${index}`, say("rank.add"), say("rank.add_named", named(index)), () => rankCommand("add", index))),
          )),
        )
        : h("p", { class: "empty" }, say("rank.all")),
      h("p", { id: "tally", class: "tally" }, marks.length ? say("status.ranked", { n: marks.length, total }) : say("status.none")),
      state.event ? h("p", { class: "event" }, state.event) : null,
    ),
    ...contestFooter(last),
  );
}

/** An option's name and party, as plain text of the page (not a control: it does nothing). */
function optionText(option) {
  return h(
    "span",
    { class: "option-text" },
    h("span", { class: "name" }, text(option.name)),
    option.party ? h("span", { class: "party" }, text(option.party)) : null,
  );
}

/**
 * Rank `n` as a word of the voter's language ("1st", "2nd" in English, "1er", "2e" in
 * French, "第2位" in Chinese...): the catalog's form for the number's ordinal category
 * (Intl.PluralRules, type "ordinal"); languages whose ordinals have one form give all four
 * keys that form.
 */
function ordinal(n) {
  const forms = {
    one: say("rank.nth_one", { n }),
    two: say("rank.nth_two", { n }),
    few: say("rank.nth_few", { n }),
    other: say("rank.nth_other", { n }),
  };
  return forms[new Intl.PluralRules(state.language, { type: "ordinal" }).select(n)] ?? forms.other;
}

/** A moment of the manifest in the voter's language and time zone. */
function when(instant) {
  return new Intl.DateTimeFormat(state.language, { dateStyle: "full", timeStyle: "short" }).format(new Date(instant));
}

/** An interface string whose `{code}` is a tracking code set apart (left to right, bold). */
function withCode(key, code) {
  const [before, after] = say(key, { code: "\u0000" }).split("\u0000");
  return [before, h("span", { class: "inline-code", dir: "ltr" }, code), after];
}

/**
 * What the review shows of a contest's marks: the marked options in manifest order, or a
 * ranked contest's ranking in rank order (an <ol>: "1. Ana López, 2. ...").
 */
function chosenList(contest, marks) {
  if (contest.kind === "ranked") return h("ol", { class: "chosen-list ranked-list" }, marks.map((i) => h("li", {}, optionLabel(contest.options[i]))));
  return h("ul", { class: "chosen-list" }, [...marks].sort((a, b) => a - b).map((i) => h("li", {}, optionLabel(contest.options[i]))));
}

function optionLabel(option) {
  return option.party ? `${text(option.name)} (${text(option.party)})` : text(option.name);
}

// ---------------------------------------------------------------- what the voter does

function go(screen) {
  state.screen = screen;
  state.message = "";
  state.event = "";
  if (screen !== "credential" && screen !== "sealed") state.error = "";
  render();
}

function chooseLanguage(code) {
  if (!CATALOGS[code]) return;
  state.language = code;
  render(false);
  document.getElementById("language")?.focus();
}

function resize(step) {
  state.textSize = Math.min(TEXT_SIZES.length - 1, Math.max(0, state.textSize + step));
  render(false);
}

function move(step) {
  state.position += step;
  go("contest");
}

function mark(index) {
  const contest = state.contests[state.position];
  const before = state.marks[contest.contest_id];
  const { marks, event } = toggle(contest, before, index);
  state.marks[contest.contest_id] = marks;
  const count = marks.length ? say("status.chosen", { n: marks.length, max: selectionLimit(contest) }) : say("status.none");
  if (event?.kind === "replaced") {
    state.event = say("status.replaced", { new: text(contest.options[event.new].name), old: text(contest.options[event.old].name) });
  } else if (event?.kind === "limit") {
    state.event = say("status.limit", { max: selectionLimit(contest) });
  } else {
    state.event = "";
  }
  state.message = [state.event, count].filter(Boolean).join(" ");
  render(false);
  if (state.audio) speak(state.message);
  document.getElementById(`option-${index}`)?.focus();
}

/**
 * One command of the ranking screen on option `index`: "add" (Rank next), "up", "down" or
 * "remove". The status region says what changed; the focus goes to the moved option's same
 * button, or, where that button is gone, to the button that took its place.
 */
function rankCommand(what, index) {
  const contest = state.contests[state.position];
  const before = state.marks[contest.contest_id];
  const total = contest.options.length;
  const name = optionLabel(contest.options[index]);
  let marks = before;
  let focus = `rank-${what}-${index}`;
  if (what === "add") {
    marks = rankNext(before, index);
    const rest = contest.options.map((_, i) => i).filter((i) => !before.includes(i));
    const after = rest.filter((i) => i !== index);
    const next = after.find((i) => i > index) ?? after[after.length - 1];
    focus = next === undefined ? `rank-up-${index}` : `rank-add-${next}`;
  } else if (what === "remove") {
    marks = unrank(before, index);
    const at = before.indexOf(index);
    const next = marks[at] ?? marks[at - 1];
    focus = next === undefined ? `rank-add-${index}` : `rank-remove-${next}`;
  } else {
    marks = moveRank(before, index, what === "up" ? -1 : 1);
  }
  state.marks[contest.contest_id] = marks;
  if (what === "remove") {
    state.event = say("rank.removed", { name });
  } else if (marks === before) {
    state.event = what === "up" ? say("rank.top", { name }) : say("rank.bottom", { name });
  } else {
    state.event = say("rank.now", { name, rank: ordinal(marks.indexOf(index) + 1), total });
  }
  const count = marks.length ? say("status.ranked", { n: marks.length, total }) : say("status.none");
  state.message = [state.event, count].join(" ");
  const again = status.textContent === state.message; // the same words: said anew all the same
  render(false);
  if (again) {
    status.textContent = "";
    setTimeout(() => { status.textContent = state.message; }, 100);
  }
  if (state.audio) speak(state.message);
  document.getElementById(focus)?.focus();
}

function clearContest() {
  const contest = state.contests[state.position];
  state.marks[contest.contest_id] = [];
  state.event = say("contest.cleared");
  state.message = state.event;
  render(false);
}

/** Why a typed code is not a code, in the voter's words (spec/protocol.md#11.1). */
function codeProblem(typed) {
  try {
    normaliseCode(typed);
    return "";
  } catch (error) {
    if (!(error instanceof CredentialCodeError)) throw error;
    return say(`credential.error.${error.problem}`, { count: error.count ?? 0, character: error.character ?? "" });
  }
}

async function submitCode() {
  const problem = codeProblem(state.typed);
  if (problem) {
    state.error = problem;
    render(false);
    document.getElementById("code")?.focus();
    return;
  }
  state.code = normaliseCode(state.typed);
  state.busy = say("credential.checking");
  state.error = "";
  render(false);
  try {
    const { publicHex } = credentialKeys(state.code, state.manifest.election_id);
    const entry = await getJson(`/api/credentials/${publicHex}`);
    startBallot(entry.style_id);
  } catch (error) {
    state.busy = "";
    state.error = /** @type {any} */ (error).status === 404 ? say("credential.error.unknown") : say("error.network");
    render(false);
    document.getElementById("code")?.focus();
  }
}

function startBallot(styleId) {
  const style = state.manifest.ballot_styles.find((s) => s.style_id === styleId);
  const wanted = new Set(style.contest_ids);
  state.styleId = styleId;
  state.contests = state.manifest.contests.filter((c) => wanted.has(c.contest_id));
  for (const contest of state.contests) state.marks[contest.contest_id] ??= [];
  state.position = 0;
  state.busy = "";
  state.typed = "";
  go("contest");
}

async function seal() {
  go("sealing");
  await new Promise((resolve) => setTimeout(resolve, 30)); // let the screen say so first
  const choices = Object.fromEntries(state.contests.map((c) => [c.contest_id, choicesOf(c, state.marks[c.contest_id])]));
  performance.mark("booth:encrypt:start");
  state.sealed = encryptBallot({
    manifest: state.manifest, election: state.election, styleId: state.styleId, choices, code: state.code,
  });
  performance.measure("booth:encrypt", "booth:encrypt:start"); // read by bench/booth.py
  go("sealed");
}

async function send(check) {
  const sealed = state.sealed;
  go("sending");
  const body = check ? { ballot: sealed.ballot, reveal: sealed.reveal } : { ballot: sealed.ballot };
  const answer = await postBallot(body);
  if (!answer.ack) {
    state.error = answer.network ? say("error.network") : say("error.refused", { message: answer.refused });
    go("sealed");
    return;
  }
  if (check) {
    const matches = reencrypts(state.election, sealed.ballot, sealed.reveal);
    state.outcome = { sealed, ack: answer.ack, matches };
    state.sealed = null; // a checked encryption is never cast
    go("checked");
  } else {
    state.outcome = { ack: answer.ack };
    state.sealed = null;
    go("receipt");
  }
}

/** Forget everything of this session: the code, the choices, the encryption. */
function finish() {
  Object.assign(state, { code: "", typed: "", marks: {}, sealed: null, outcome: null, contests: [], styleId: "" });
  go("finished");
}

// ---------------------------------------------------------------- audio

function spokenScreen() {
  if (state.screen !== "contest") return root.querySelector("h1")?.textContent || "";
  return spokenContest(state.contests[state.position], state.marks[state.contests[state.position].contest_id]);
}

/** What the audio mode reads for a contest: its title, its rule and each option's state. */
function spokenContest(contest, marks) {
  const [rule, values] = ruleOf(contest);
  const ranked = contest.kind === "ranked";
  const order = ranked ? [...marks, ...contest.options.map((_, i) => i).filter((i) => !marks.includes(i))] : contest.options.map((_, i) => i);
  const options = order.map((index) => {
    const option = contest.options[index];
    let said = say(marks.includes(index) ? "audio.chosen" : "audio.not_chosen");
    if (ranked) said = marks.includes(index) ? say("audio.ranked", { rank: ordinal(marks.indexOf(index) + 1) }) : say("audio.not_ranked");
    return say("audio.option", { name: optionLabel(option), state: said });
  });
  return [
    say("contest.progress", { n: state.position + 1, total: state.contests.length }),
    text(contest.title),
    say(rule, values),
    ...options,
  ].join(" ");
}

const speaking = { paused: false, last: "" };

function speak(words) {
  speaking.last = words;
  speaking.paused = false;
  document.documentElement.dataset.spoken = words; // what was read, for the tests to hear
  if (!("speechSynthesis" in window)) return;
  window.speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(words);
  utterance.lang = state.language;
  window.speechSynthesis.speak(utterance);
}

function pauseAudio() {
  speaking.paused = !speaking.paused;
  if ("speechSynthesis" in window) {
    if (speaking.paused) window.speechSynthesis.pause();
    else window.speechSynthesis.resume();
  }
  render(false);
}

function toggleAudio() {
  state.audio = !state.audio;
  if (!state.audio && "speechSynthesis" in window) window.speechSynthesis.cancel();
  if (state.audio && !("speechSynthesis" in window)) state.message = say("audio.unavailable");
  render(false);
  if (state.audio) speak(spokenScreen());
}

// ---------------------------------------------------------------- start

function watchIdle() {
  let timer = 0;
  const dialog = h(
    "dialog",
    { class: "idle", "aria-labelledby": "idle-heading" },
    h("h2", { id: "idle-heading" }),
    h("p", { id: "idle-text" }),
    h("button", { type: "button", class: "primary", on: { click: () => dialog.close() } }),
  );
  document.body.append(dialog);
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!["contest", "review", "sealed"].includes(state.screen) || dialog.open) return;
      dialog.querySelector("h2").textContent = say("idle.heading");
      dialog.querySelector("p").textContent = say("idle.explain");
      dialog.querySelector("button").textContent = say("idle.more");
      dialog.showModal();
    }, IDLE_MS);
  };
  for (const event of ["keydown", "pointerdown", "input"]) document.addEventListener(event, restart);
  restart();
}

async function start() {
  const preferred = (navigator.languages || []).map((l) => l.split("-")[0]);
  try {
    state.manifest = await getJson("/api/manifest");
    state.election = await getJson("/api/record/election.json");
  } catch (error) {
    state.languages = Object.keys(CATALOGS);
    state.language = preferred.find((l) => CATALOGS[l]) || "en";
    state.error = /** @type {Error} */ (error).message;
    state.screen = "failed";
    render();
    return;
  }
  state.languages = state.manifest.languages.filter((l) => CATALOGS[l]);
  if (state.languages.length === 0) state.languages = ["en"];
  state.language = preferred.find((l) => state.languages.includes(l)) || state.languages[0];
  state.screen = "language";
  render();
  watchIdle();
}

start();

/**
 * Below a contest (marked or ranked alike): clearing it, the audio controls, and the pager.
 * @param {boolean} last whether the contest is the last of the ballot
 */
function contestFooter(last) {
  return [
    h(
      "div",
      { class: "actions" },
      button(say("contest.clear"), clearContest),
      state.audio ? button(say(speaking.paused ? "audio.resume" : "audio.pause"), pauseAudio) : null,
      state.audio ? button(say("audio.repeat"), () => speak(spokenScreen())) : null,
    ),
    h(
      "nav",
      { class: "pager" },
      state.position > 0 ? button(say("nav.previous"), () => move(-1)) : null,
      button(last ? say("nav.review") : say("nav.next"), () => (last ? go("review") : move(1)), { primary: true }),
    ),
  ];
}

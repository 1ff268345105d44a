// What the booth reads of a manifest (spec/record-format.md#manifest): styles, contests, limits.
import { InvalidBallot } from "./errors.js";

/**
 * @typedef {{option_id: string}} Option
 * @typedef {{contest_id: string, kind: string, options: Option[], votes_allowed?: number}} Contest
 * @typedef {{style_id: string, contest_ids: string[]}} BallotStyle
 * @typedef {{election_id: string, contests: Contest[], ballot_styles: BallotStyle[]}} Manifest
 */

const KINDS = new Set(["plurality", "approval", "referendum", "party_list", "ranked"]);

/**
 * Whether a contest is filled in as a ranking (§13.1: `m` ranks, each `0..m`) rather than as
 * 0/1 selections summed homomorphically; an unknown kind is refused naming the field.
 * @param {Contest} contest @param {string} field @returns {boolean}
 */
export function isRanked(contest, field = `manifest.contests.${contest.contest_id}`) {
  if (!KINDS.has(contest.kind)) throw new InvalidBallot(`${field}.kind`, `unknown contest kind ${JSON.stringify(contest.kind)}`);
  return contest.kind === "ranked";
}

/**
 * record-format.md#selection-limit: `votes_allowed` for plurality, every option for approval,
 * 1 for referendum and party list. A ranked contest has ranks, not selections (§13.1), so it
 * has no selection limit: asking for one is refused.
 * @param {Contest} contest @param {string} field @returns {number}
 */
export function selectionLimit(contest, field = `manifest.contests.${contest.contest_id}`) {
  if (isRanked(contest, field)) {
    throw new InvalidBallot(field, "a ranked contest has ranks of 0 to its number of options, not a selection limit");
  }
  if (contest.kind === "plurality") {
    const n = contest.votes_allowed;
    if (!Number.isInteger(n) || /** @type {number} */ (n) < 1) throw new InvalidBallot(`${field}.votes_allowed`, "expected a count");
    return /** @type {number} */ (n);
  }
  return contest.kind === "approval" ? contest.options.length : 1;
}

/**
 * §13.1: the contests of ballot style `styleId`, in manifest order (whatever the order of the
 * style's `contest_ids`).
 * @param {Manifest} manifest @param {string} styleId @returns {Contest[]}
 */
export function styleContests(manifest, styleId) {
  if (!manifest || !Array.isArray(manifest.contests) || !Array.isArray(manifest.ballot_styles)) {
    throw new InvalidBallot("manifest", "expected a manifest with contests and ballot styles");
  }
  const style = manifest.ballot_styles.find((s) => s.style_id === styleId);
  if (!style) throw new InvalidBallot("style_id", `no ballot style ${JSON.stringify(styleId)} in the manifest`);
  const wanted = new Set(style.contest_ids);
  return manifest.contests.filter((c) => wanted.has(c.contest_id));
}

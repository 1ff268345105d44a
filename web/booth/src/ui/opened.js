// What an opened ballot holds, shown by name (spec/protocol.md#14.4): on the booth's
// "checked" screen and on the page that checks an opened ballot from the board. A 0/1
// contest's reveal holds one value per option; a ranked contest's holds its ranks, rank 1
// first, each the position 1..m of the option ranked there or 0 (§13.1), so it is shown as
// a ranking in rank order, never as "values[i] === 1".
import { rankingOf } from "./contests.js";
import { h } from "./dom.js";

/**
 * The list of what `values` (a contest's reveal) chose, or null when it chose nothing.
 * A ranking is an <ol> whose items carry their rank as the list number (`value`), so that a
 * ballot made elsewhere that skips a rank is shown as it is, not renumbered.
 * @param {{kind: string, options: any[]}} contest @param {number[]} values
 * @param {(option: any) => string} label the option's name as the page shows it
 */
export function openedList(contest, values, label) {
  if (contest.kind === "ranked") {
    const ranking = rankingOf(values).filter(([, index]) => index < contest.options.length);
    if (!ranking.length) return null;
    return h("ol", { class: "chosen-list ranked-list" }, ranking.map(([rank, index]) => h("li", { value: String(rank) }, label(contest.options[index]))));
  }
  const chosen = contest.options.filter((_, i) => values[i] === 1);
  return chosen.length ? h("ul", { class: "chosen-list" }, chosen.map((o) => h("li", {}, label(o)))) : null;
}

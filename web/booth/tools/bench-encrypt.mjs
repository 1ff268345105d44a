// Time the encryption of one ballot (no assertion: a figure to read). Reads the same request
// as tools/encrypt.mjs ({"manifest", "election", "style", "choices", "code"}) on stdin; prints
// the median, fastest and slowest of `runs` encryptions (after one warm-up) with the OS source.
import { readFileSync } from "node:fs";
import { encryptBallot } from "../src/crypto/index.js";

const request = JSON.parse(readFileSync(0, "utf8"));
const runs = Number(process.argv[2] ?? 20);
const once = () => encryptBallot({
  manifest: request.manifest, election: request.election, styleId: request.style, choices: request.choices, code: request.code,
});
const selections = once().ballot.contests.reduce((n, c) => n + c.selections.length, 0);
const times = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  once();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = runs % 2 ? times[(runs - 1) / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
console.log(
  `encryptBallot, ${selections} selections, Node ${process.version}: median ${median.toFixed(1)} ms ` +
    `of ${runs} (fastest ${times[0].toFixed(1)} ms, slowest ${times[runs - 1].toFixed(1)} ms)`,
);

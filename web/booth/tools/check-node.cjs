// `make` runs this before anything of the booth: @noble 2.x needs Node.js 20.19 or later.
// Written for any Node.js, however old, so that it can say what is wrong.
"use strict";
const needed = (process.argv[2] || "20.19").split(".").map(Number);
const have = process.versions.node.split(".").map(Number);
const older = have[0] < needed[0] || (have[0] === needed[0] && have[1] < needed[1]);
if (older) {
  console.error(
    "Node.js " + needed.join(".") + " or later is needed for the booth (@noble/curves 2.x);" +
      " this is " + process.version + " (Debian 12's own nodejs is 18): see the README"
  );
  process.exit(1);
}

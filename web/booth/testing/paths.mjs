// Test support (not a test file, not bundled): where the tests find tests/vectors.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const VECTORS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "tests", "vectors");

/** @param {string} name */
export const vectors = (name) => JSON.parse(readFileSync(join(VECTORS, name), "utf8"));

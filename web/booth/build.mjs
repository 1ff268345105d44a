// Build the booth with esbuild: one ES module bundle (the crypto of src/crypto and the
// interface of src/ui, with the six catalogs), its stylesheet and its page, written into
// the Python package (src/suffrage/web/static/booth/, not committed), which the election server
// serves at /booth. Run by `make booth`; prints the bundle's size, gzipped.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "src", "suffrage", "web", "static", "booth");
mkdirSync(out, { recursive: true });

await build({
  // The booth, and the page that checks an opened ballot (which shares no state with it).
  entryPoints: { booth: join(here, "src", "ui", "main.js"), check: join(here, "src", "ui", "check.js") },
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2022", "chrome100", "firefox100", "safari15"],
  outdir: out,
  legalComments: "none",
  logLevel: "warning",
});
for (const name of ["booth.css", "index.html", "check.html"]) {
  copyFileSync(join(here, "src", "ui", name), join(out, name));
}

// The characters of the interface's Chinese strings: the server cuts its CJK font to them
// (and to the manifest's Chinese texts).
const chinese = readFileSync(join(here, "src", "ui", "i18n", "zh.json"), "utf8");
writeFileSync(join(out, "characters.txt"), [...new Set(chinese)].join(""));

const script = readFileSync(join(out, "booth.js"));
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `booth: ${join(out, "booth.js")} ${kb(statSync(join(out, "booth.js")).size)} KB, ` +
    `${kb(gzipSync(script, { level: 9 }).length)} KB gzipped`,
);

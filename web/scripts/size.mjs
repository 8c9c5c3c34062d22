// The standalone app's initial JavaScript, gzipped: the entry script of its index.html and
// the modules it preloads (chunks loaded later, such as the graph's, are not counted).
// Prints the size and fails above the budget of issue 22.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 300;
const dist = new URL("../../service/api/ui/app/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const files = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((match) => match[1]);
if (files.length === 0) throw new Error("service/api/ui/app/index.html names no module script: run `npm run build` first");
const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file))).length, 0);
const kb = bytes / 1024;
console.log(`initial JS gzipped: ${kb.toFixed(1)} KB (${files.length} file${files.length === 1 ? "" : "s"}; budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) process.exit(1);

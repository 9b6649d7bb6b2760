// Measures the release build for the README: the transferred size (gzip -9; and brotli -q 11,
// for hosts that serve it) of each file of dist/, and the time from navigation to the first rendered diagnosis in headless Chromium, for
// a share link of a built-in example (cold: fresh profile, nothing cached; warm: the same
// profile again, served by the service worker). Figures, not pass/fail thresholds.
//   node scripts/measure.mjs [DIST] [RUNS]      (writes out/measure.json)
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync, deflateRawSync } from "node:zlib";
import { serve } from "./static-server.mjs";
import { CHROMIUM, CHROME_ARGS } from "../e2e/harness.mjs";

const DIST = process.argv[2] ?? "dist";
const RUNS = Number(process.argv[3] ?? 5);

// 1. Sizes.
const files = readdirSync(DIST).filter((f) => statSync(path.join(DIST, f)).isFile()).sort();
const sizes = files.map((f) => {
  const body = readFileSync(path.join(DIST, f));
  const brotli = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  }).length;
  return { file: f, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, brotli };
});
const total = sizes.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip, brotli: a.brotli + s.brotli }), {
  raw: 0,
  gzip: 0,
  brotli: 0,
});

// 2. A share link of the PHP-FPM example (the format of src/share.rs: raw DEFLATE, base64url).
const dir = "src/examples/php-fpm-stopped";
const pastes = readdirSync(dir).sort().map((f) => ({ name: f, text: readFileSync(path.join(dir, f), "utf8") }));
const fragment = "s1=" + deflateRawSync(Buffer.from(JSON.stringify({ pastes, answers: {} }))).toString("base64url");

const server = await serve(DIST, 0, "/");
const url = `${server.url}#${fragment}`;

async function load(context) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const seen = {};
    const check = () => {
      if (!seen.app && document.querySelector("#pastes-heading")) seen.app = performance.now();
      if (!seen.finding && document.querySelector(".finding")) seen.finding = performance.now();
      window.__seen = seen;
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.locator(".finding").first().waitFor({ timeout: 30000 });
  const seen = await page.evaluate(() => window.__seen);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.close();
  return seen;
}

const runs = [];
for (let i = 0; i < RUNS; i++) {
  const profile = mkdtempSync(path.join(tmpdir(), "gd-measure-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROME_ARGS });
  const cold = await load(context);
  await new Promise((r) => setTimeout(r, 500)); // the service worker finishes precaching
  const warm = await load(context);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  runs.push({ cold, warm });
}
await new Promise((r) => server.close(r));

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  sizes,
  total,
  runs: RUNS,
  cold: { app: Math.round(median(runs.map((r) => r.cold.app))), finding: Math.round(median(runs.map((r) => r.cold.finding))) },
  warm: { app: Math.round(median(runs.map((r) => r.warm.app))), finding: Math.round(median(runs.map((r) => r.warm.finding))) },
  chromium: CHROMIUM,
};
mkdirSync("out", { recursive: true });
writeFileSync("out/measure.json", JSON.stringify(result, null, 2) + "\n");

const n = (x) => x.toLocaleString("en");
console.log("| file | bytes | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|");
for (const s of sizes) console.log(`| ${s.file.replace(/-[0-9a-f]{8,16}(?=[._])/, "-HASH")} | ${n(s.raw)} | ${n(s.gzip)} | ${n(s.brotli)} |`);
console.log(`| **total** | ${n(total.raw)} | **${n(total.gzip)}** | ${n(total.brotli)} |`);
console.log(`\nTime to the first rendered diagnosis (median of ${RUNS}, share link of an example, localhost):`);
console.log(`- cold (nothing cached): page rendered at ${result.cold.app} ms, diagnosis at ${result.cold.finding} ms`);
console.log(`- warm (service worker): page rendered at ${result.warm.app} ms, diagnosis at ${result.warm.finding} ms`);

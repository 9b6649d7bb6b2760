// Shared set-up for the end-to-end tests: serves dist/ and opens it in headless system
// Chromium through playwright-core (no browser download, ever).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "../scripts/static-server.mjs";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROME_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];
export const DIST = process.env.DIST ?? "dist";

export const MISSING_SOCKET = '2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.3-fpm.sock:", host: "example.com"';

/** Watches a page: console errors, page errors, and any request to another origin. */
export function watch(page, origin, errors, foreignRequests) {
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) foreignRequests.push(url);
  });
}

/**
 * Serves dist/ (under `prefix`) and launches Chromium; returns helpers and a close().
 * `persistent` keeps a profile directory (service worker and storage survive a relaunch);
 * `setup(context)` runs before the page opens (routes, say).
 */
export async function open({ prefix = "/", colorScheme = "light", viewport = { width: 1280, height: 900 }, persistent = false, server: given, hash = "", serviceWorkers = "allow", setup = null } = {}) {
  const server = given ?? (await serve(DIST, 0, prefix));
  const origin = new URL(server.url).origin;
  const errors = [];
  const foreignRequests = [];
  const options = { colorScheme, viewport, serviceWorkers, permissions: ["clipboard-read", "clipboard-write"], acceptDownloads: true };
  let browser = null;
  let context;
  let profile = null;
  if (persistent) {
    profile = mkdtempSync(path.join(tmpdir(), "gd-profile-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROME_ARGS, ...options });
  } else {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_ARGS });
    context = await browser.newContext(options);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page, origin, errors, foreignRequests);
  if (setup) await setup(context);
  await page.goto(server.url + hash);
  await page.locator("#pastes-heading, #kb-search").first().waitFor();
  return {
    page, context, browser, server, errors, foreignRequests, origin, profile,
    /** A second page in the same context (same storage, same service worker). */
    async newPage(url = server.url) {
      const p = await context.newPage();
      watch(p, origin, errors, foreignRequests);
      await p.goto(url);
      return p;
    },
    async close({ keepServer = false } = {}) {
      await context.close();
      if (browser) await browser.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
      if (!keepServer && !given) await new Promise((r) => server.close(r));
    },
  };
}

/** Waits until the diagnosis has caught up with the last change (nothing analysing). */
export async function settled(page) {
  await page.waitForTimeout(250); // past the typing pause, so the analysis has been asked for
  await page.waitForFunction(() => !document.querySelector("#busy"), null, { timeout: 60000 });
  await page.waitForTimeout(150);
  await page.waitForFunction(() => !document.querySelector("#busy"), null, { timeout: 60000 });
}

/** Types text into the first empty paste box (or the given one). */
export async function paste(page, text, box = "textarea.paste") {
  await page.locator(box).last().fill(text);
}

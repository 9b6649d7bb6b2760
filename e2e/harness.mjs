// Shared set-up for the end-to-end tests: serves dist/ and opens it in headless system
// Chromium through playwright-core (no browser download, ever).
import { chromium } from "playwright-core";
import { serve } from "../scripts/static-server.mjs";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROME_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];
export const DIST = process.env.DIST ?? "dist";

/** Serves dist/ and launches Chromium; returns helpers and a close(). */
export async function open({ prefix = "/" } = {}) {
  const server = await serve(DIST, 0, prefix);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_ARGS });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const foreignRequests = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("request", (r) => {
    if (!r.url().startsWith(server.url.replace(/\/[^/]*$/, "")) && !r.url().startsWith("data:")) foreignRequests.push(r.url());
  });
  await page.goto(server.url);
  await page.locator("textarea").first().waitFor();
  return {
    page, context, browser, server, errors, foreignRequests,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

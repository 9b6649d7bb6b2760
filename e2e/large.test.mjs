// A 20 MB paste: analysed in the worker, with progress, while the page keeps responding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open } from "./harness.mjs";

function bigLog(bytes) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = `2026/11/21 10:${String(i % 60).padStart(2, "0")}:00 [error] 812#812: *${i} connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.${i % 250}, server: api.example.com, request: "GET /v1/orders/${i} HTTP/1.1", upstream: "http://127.0.0.1:3000/v1/orders/${i}", host: "api.example.com"\n`;
    lines.push(l);
    size += l.length;
  }
  return lines.join("");
}

test("a 20 MB file is analysed in the background and the page keeps responding", async () => {
  const app = await open();
  try {
    const { page } = app;
    const log = bigLog(20 * 1024 * 1024);
    // A heartbeat on the page's thread: frames keep coming while the worker analyses.
    await page.evaluate(() => {
      window.__frames = [];
      const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.locator("#files").setInputFiles({ name: "error.log", mimeType: "text/plain", buffer: Buffer.from(log) });
    await page.locator("#busy", { hasText: /Analysing 20\.\d MB/ }).waitFor({ timeout: 30000 });
    // From here on the page only waits for the worker (the file itself is in the page now).
    await page.evaluate(() => { window.__frames = []; });
    // While it runs: typing into another box works, and frames keep ticking.
    await page.locator("#add-box").click();
    const box = page.locator("textarea.paste").last();
    await box.focus();
    await page.keyboard.type("still responsive");
    assert.equal(await box.inputValue(), "still responsive");
    const during = await page.evaluate(async () => {
      const start = window.__frames.length;
      await new Promise((r) => setTimeout(r, 500));
      return window.__frames.length - start;
    });
    await page.locator(".paste-box", { hasText: "Large paste (20.0 MB)" }).waitFor();
    await page.locator("#status .done").waitFor({ timeout: 120000 });
    assert.match(await page.locator("#status").textContent(), /Read \d+ pieces? \(\d+ lines/);
    const pieces = await page.locator('.piece[data-kind="nginx-error-log"]').count();
    assert.ok(pieces >= 1, "the big log was read");
    assert.ok(during >= 5, `frames kept coming during the analysis (${during} in 500 ms)`);
    // The longest gap between frames during the analysis (for the record, not a threshold).
    const gap = await page.evaluate(() => {
      let max = 0;
      for (let i = 1; i < window.__frames.length; i++) max = Math.max(max, window.__frames[i] - window.__frames[i - 1]);
      return Math.round(max);
    });
    console.log(`# 20 MB: ${during} frames in 500 ms during the analysis; longest frame gap ${gap} ms`);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

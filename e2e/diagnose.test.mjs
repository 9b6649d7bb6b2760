// End to end on the release build: paste an error line, see the cause named with its evidence.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { open } from "./harness.mjs";

const MISSING_SOCKET = '2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.3-fpm.sock:", host: "example.com"';

test("pasting an error line names the cause with its evidence", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator("textarea").first().fill(MISSING_SOCKET);
    const finding = page.locator('.finding[data-cause="php-fpm-down"]');
    await finding.waitFor({ timeout: 10000 });
    const text = await finding.textContent();
    assert.match(text, /\/run\/php\/php8\.3-fpm\.sock/);
    assert.match(text, /No such file or directory/);
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync("docs", { recursive: true });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({ path: "docs/screenshot.png" });
    }
    assert.deepEqual(app.errors, [], "no errors in the browser console");
    assert.deepEqual(app.foreignRequests, [], "no request leaves the page's origin");
  } finally {
    await app.close();
  }
});

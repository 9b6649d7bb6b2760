// Private: a CSP that allows nothing external, no request to another origin, and pasted HTML
// or script shown as text, never run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, settled } from "./harness.mjs";

const HOSTILE = `<script>window.__ran = "script"</script>
<img src="https://tracker.invalid/pixel.gif" onerror="window.__ran = 'img'">
<a href="javascript:window.__ran='link'">x</a>
2026/11/21 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.9, server: <b>x</b>, request: "GET /<svg onload=alert(1)> HTTP/1.1", upstream: "http://127.0.0.1:3000/", host: "<i>y</i>"`;

test("pasted markup stays text, and nothing leaves the origin", async () => {
  const app = await open();
  try {
    const { page } = app;
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
    assert.ok(!/unsafe-inline|https?:|\*/.test(csp), `nothing external or inline-at-large: ${csp}`);

    await page.locator("textarea.paste").first().fill(HOSTILE);
    await settled(page);
    await page.locator(".line-link, .evidence-link").first().click().catch(() => {});
    await page.locator(".paste-box button", { hasText: "Line numbers" }).click().catch(() => {});
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__ran ?? null), null, "nothing pasted ran");
    assert.equal(await page.locator(".paste-box img, .paste-box script, .diagnosis img, .diagnosis b, .lines b, .lines svg").count(), 0);
    assert.ok((await page.locator(".lines").textContent()).includes("<script>"), "markup is shown as text");

    // The page itself may not reach out: the CSP stops a fetch to another origin.
    const blocked = await page.evaluate(() => fetch("https://example.org/").then(() => false, () => true));
    assert.ok(blocked, "a request to another origin is refused");
    assert.deepEqual(app.foreignRequests.filter((u) => !u.startsWith("https://example.org")), []);
    assert.deepEqual(app.errors.filter((e) => !/Content Security Policy|Failed to fetch|example\.org/.test(e)), []);
  } finally {
    await app.close();
  }
});

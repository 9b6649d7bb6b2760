// Paste and see the cause; click evidence to see the line; the fix with copy buttons; change a
// piece's kind; keyboard only; several files at once and a dropped file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, settled, MISSING_SOCKET } from "./harness.mjs";

test("pasting an error line names the cause, quotes the evidence and fills the fix", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator("textarea.paste").first().fill(`my notes\n\n${MISSING_SOCKET}`);
    const finding = page.locator('.finding[data-cause="php-fpm-down"]');
    await finding.waitFor({ timeout: 15000 });
    assert.match(await finding.locator("h3").textContent(), /\/run\/php\/php8\.3-fpm\.sock/);
    assert.match(await finding.locator(".quoted").first().textContent(), /No such file or directory/);
    // The fix: filled with the person's values, commands with copy buttons that copy.
    const fix = finding.locator(".fix");
    assert.match(await fix.textContent(), /systemctl enable --now php8\.3-fpm/);
    const copy = fix.locator("button.copy").first();
    await copy.click();
    await page.locator("button.copy", { hasText: "Copied" }).first().waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /systemctl enable --now php8\.3-fpm/);

    // Evidence click: the paste shows numbered lines, line 3 highlighted, focused, in view.
    await finding.locator(".evidence-link").first().click();
    const hit = page.locator("#p1-l3.hit");
    await hit.waitFor();
    assert.match(await hit.textContent(), /^3/);
    assert.match(await hit.textContent(), /connect\(\) to unix:/);
    await page.waitForFunction(() => document.activeElement?.id === "p1-l3");
    const inView = await hit.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(inView, "the highlighted line is scrolled into view");

    // Each piece: kind (changeable), lines, what was not read.
    const pieces = page.locator(".piece");
    assert.equal(await pieces.count(), 2);
    assert.equal(await pieces.nth(1).getAttribute("data-kind"), "nginx-error-log");
    assert.match(await pieces.nth(0).textContent(), /line 1/);
    await pieces.nth(0).locator("select.kind").selectOption("nginx-config");
    await page.locator('.piece[data-kind="nginx-config"] .badge', { hasText: "your choice" }).waitFor();
    assert.deepEqual(app.errors, [], "no errors in the browser console");
    assert.deepEqual(app.foreignRequests, [], "no request leaves the page's origin");
  } finally {
    await app.close();
  }
});

test("keyboard only: type, reach the evidence with Tab, open it with Enter", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator("textarea.paste").first().focus();
    await page.keyboard.insertText(MISSING_SOCKET);
    await page.locator(".finding").first().waitFor({ timeout: 15000 });
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.classList.contains("evidence-link"));
    }
    assert.ok(reached, "an evidence link is reachable with Tab");
    await page.keyboard.press("Enter");
    await page.locator(".line.hit").waitFor();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("several files at once, and a dropped file, become pastes", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator("#files").setInputFiles([
      { name: "error.log", mimeType: "text/plain", buffer: Buffer.from(MISSING_SOCKET + "\n") },
      { name: "www.conf", mimeType: "text/plain", buffer: Buffer.from("[www]\nuser = www-data\nlisten = /run/php/php8.3-fpm.sock\n") },
    ]);
    await page.locator(".paste-box", { hasText: "www.conf" }).waitFor();
    await page.locator(".paste-box", { hasText: "error.log" }).waitFor();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(["listen 80;\n"], "site.conf", { type: "text/plain" }));
      document.querySelector(".app").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.locator(".paste-box", { hasText: "site.conf" }).waitFor();
    await settled(page);
    assert.equal(await page.locator('.piece[data-kind="php-fpm-config"]').count(), 1);
    // The three files are read together (the ranking itself is the engine's, tested there).
    assert.equal(await page.locator('.finding[data-cause="php-fpm-down"]').count(), 1);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

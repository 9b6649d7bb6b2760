// Export the report as Markdown (copy and download) and print it cleanly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { open, settled, MISSING_SOCKET } from "./harness.mjs";

test("the report exports as Markdown and prints without the controls", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator("textarea.paste").first().fill(MISSING_SOCKET);
    await page.locator(".finding").first().waitFor({ timeout: 15000 });
    await settled(page);
    await page.locator("#export-menu summary").click();
    await page.locator("#copy-markdown").click();
    await page.locator("#copy-markdown", { hasText: "Copied" }).waitFor();
    const md = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(md, /^# nginx 502 diagnosis/);
    assert.match(md, /`php-fpm-down`, \d+%/);
    assert.match(md, /- `Paste 1` line 1|- `paste-1` line 1/);
    assert.match(md, /## Triage/);

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-markdown").click()]);
    assert.equal(download.suggestedFilename(), "gateway-doctor-diagnosis.md");
    assert.equal(readFileSync(await download.path(), "utf8"), md);

    await page.emulateMedia({ media: "print" });
    assert.ok(await page.locator(".finding").first().isVisible());
    assert.ok(!(await page.locator(".pastes").isVisible()), "the paste boxes are not printed");
    assert.ok(!(await page.locator("#share").isVisible()), "the buttons are not printed");
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 1000);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreignRequests, []);
  } finally {
    await app.close();
  }
});

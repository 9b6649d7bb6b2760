// Lose nothing: pastes and answers survive a reload until cleared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, settled } from "./harness.mjs";

test("a reload keeps the pastes and answers; Clear forgets them", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator("textarea.paste").first().fill("my site shows 502 since this morning");
    await page.locator("#next-question[data-node='layer']").waitFor({ timeout: 15000 });
    await page.locator("#next-question button.choice[data-value='cdn']").click();
    await page.locator("#next-question[data-node='origin-errors']").waitFor();
    await page.locator("#add-box").click();
    await page.locator("textarea.paste").last().fill("second box");
    await settled(page);
    await page.waitForFunction(() => (localStorage.getItem("gateway-doctor.session") ?? "").length > 10);
    await page.waitForTimeout(800); // the last change is kept 600 ms after it

    await page.reload();
    await page.locator("#next-question[data-node='origin-errors']").waitFor({ timeout: 15000 });
    const values = await page.locator("textarea.paste").evaluateAll((t) => t.map((x) => x.value));
    assert.deepEqual(values, ["my site shows 502 since this morning", "second box"]);
    assert.equal(await page.locator("#trail .step[data-node='layer']").getAttribute("data-answer"), "cdn");

    await page.locator("#clear").click();
    await page.locator("#undo").waitFor();
    await page.waitForTimeout(800);
    await page.reload();
    await page.locator("#pastes-heading").waitFor();
    await settled(page);
    assert.deepEqual(await page.locator("textarea.paste").evaluateAll((t) => t.map((x) => x.value)), [""]);
    assert.equal(await page.evaluate(() => localStorage.getItem("gateway-doctor.session")), null);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

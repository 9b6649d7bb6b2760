// The guided triage: steps answered from the paste, a question answered, then changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, settled, MISSING_SOCKET } from "./harness.mjs";

test("walks the tree: evidence steps, a question answered, an answer changed", async () => {
  const app = await open();
  try {
    const { page } = app;
    // With the error line, the walk answers itself from the paste, step by step.
    await page.locator("textarea.paste").first().fill(MISSING_SOCKET);
    await page.locator("#conclusion[data-cause='php-fpm-down']").waitFor({ timeout: 15000 });
    const first = page.locator("#trail .step").first();
    assert.match(await first.textContent(), /from your paste, line 1/);

    // Without it, the first question waits for the person.
    await page.locator("textarea.paste").first().fill("my site shows 502 since this morning");
    await page.locator("#next-question[data-node='layer']").waitFor({ timeout: 15000 });
    await page.locator("#next-question button.choice[data-value='cdn']").click();
    await page.locator("#next-question[data-node='origin-errors']").waitFor();
    await page.locator("#next-question button.choice[data-value='no']").click();
    await page.locator("#conclusion[data-cause='other-layer-502']").waitFor();
    const layer = page.locator("#trail .step[data-node='layer']");
    assert.equal(await layer.getAttribute("data-answer"), "cdn");
    assert.match(await layer.textContent(), /your answer/);

    // Change the first answer: the walk follows.
    await layer.locator("button.change").click();
    await page.locator("#change-layer").selectOption("browser");
    await page.locator("#next-question[data-node='client-check']").waitFor();
    assert.equal(await page.locator("#trail .step[data-node='layer']").getAttribute("data-answer"), "browser");
    assert.equal(await page.locator("#conclusion").count(), 0);

    // A request for output: the command with a copy button and a box for its output.
    await page.locator("#next-question button.choice[data-value='no']").click();
    await settled(page);
    const next = page.locator("#next-question");
    assert.equal(await next.getAttribute("data-node"), "nginx-up");
    await next.locator("button.choice[data-value='yes']").click();
    await page.locator("#next-question[data-node='paste-error-log']").waitFor();
    assert.ok((await page.locator("#next-question .commands button.copy").count()) > 0);
    await page.locator("#request-output").fill(MISSING_SOCKET);
    await page.locator("#add-output").click();
    await page.locator("#conclusion[data-cause='php-fpm-down']").waitFor({ timeout: 15000 });
    assert.equal(await page.locator(".paste-box").count(), 2);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreignRequests, []);
  } finally {
    await app.close();
  }
});

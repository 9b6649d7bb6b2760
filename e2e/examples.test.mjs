// Built-in examples and the knowledge base, without pasting anything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, settled } from "./harness.mjs";

test("an example loads and is diagnosed; undo brings back the previous pastes", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator("#start-example-php-fpm-stopped").click();
    await page.locator('.finding[data-cause="php-fpm-down"]').waitFor({ timeout: 15000 });
    assert.equal(await page.locator(".paste-box").count(), 2);
    // From the menu, another example replaces it, with Undo.
    await page.locator("#examples-menu summary").click();
    await page.locator("#menu-example-slow-export-504").click();
    await page.locator(".paste-box", { hasText: "site.conf" }).waitFor();
    await settled(page);
    assert.equal(await page.locator(".paste-box").count(), 3);
    await page.locator("#undo").click();
    await page.locator(".paste-box", { hasText: "systemctl.txt" }).waitFor();
    assert.equal(await page.locator(".paste-box").count(), 2);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("every example is read without errors", async () => {
  const app = await open();
  try {
    const { page } = app;
    const ids = await page.locator(".start button.example").evaluateAll((b) => b.map((x) => x.dataset.example));
    assert.ok(ids.length >= 5, `${ids.length} examples`);
    for (const id of ids) {
      await page.locator("#examples-menu summary").click();
      await page.locator(`#menu-example-${id}`).click();
      await settled(page);
      const read = await page.locator(".piece").count();
      const answered = await page.locator(".finding, #next-question, #conclusion").count();
      assert.ok(read > 0 && answered > 0, `${id}: ${read} pieces, ${answered} answers`);
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("the knowledge base: a page per cause, searchable, linked from the findings", async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.locator(".tab", { hasText: "Knowledge base" }).click();
    await page.locator("#kb-search").waitFor();
    const all = await page.locator("#kb-list li").count();
    assert.ok(all >= 29, `${all} causes listed`);
    await page.locator("#kb-search").fill("socket");
    await page.waitForFunction((n) => document.querySelectorAll("#kb-list li").length < n, all);
    await page.locator('#kb-list a[data-cause="php-fpm-down"]').click();
    const article = page.locator('#cause-page[data-cause="php-fpm-down"]');
    await article.waitFor();
    assert.match(await article.textContent(), /What happened/);
    assert.match(await article.textContent(), /Debian\/Ubuntu/);
    assert.ok((await article.locator("button.copy").count()) > 0, "commands have copy buttons");
    assert.match(page.url(), /#kb\/php-fpm-down$/);
    // Back goes to the list; a deep link opens the page.
    await page.goBack();
    await page.locator("#cause-page").waitFor({ state: "detached" });
    const p = await app.newPage(app.server.url + "#kb/php-fpm-down");
    await p.locator('#cause-page[data-cause="php-fpm-down"]').waitFor();
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreignRequests, []);
  } finally {
    await app.close();
  }
});

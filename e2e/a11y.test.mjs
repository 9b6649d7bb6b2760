// Accessibility (axe-core: no serious or critical violations), both themes, a phone, and the
// screenshots of the main screen for the README (UPDATE_SCREENSHOTS=1 writes them to docs/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { open, settled } from "./harness.mjs";

async function audit(page, what) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  return { bad: summary, minor: result.violations.length - bad.length, passes: result.passes.length };
}

for (const scheme of ["light", "dark"]) {
  test(`main screen in the ${scheme} theme: no serious accessibility violations`, async () => {
    const app = await open({ colorScheme: scheme, viewport: { width: 1280, height: 860 } });
    try {
      const { page } = app;
      const found = [];
      found.push(...(await audit(page, `${scheme} empty`)).bad);
      await page.locator("#start-example-php-fpm-stopped").click();
      await page.locator(".finding").first().waitFor({ timeout: 15000 });
      await settled(page);
      await page.locator("#notice button.link").click();
      const main = await audit(page, `${scheme} diagnosis`);
      found.push(...main.bad);
      mkdirSync("out", { recursive: true });
      await page.screenshot({ path: `out/screenshot-${scheme}.png` });
      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync("docs", { recursive: true });
        await page.screenshot({ path: `docs/screenshot-${scheme}.png` });
      }
      await page.locator(".evidence-link").first().click();
      await page.locator(".line.hit").waitFor();
      found.push(...(await audit(page, `${scheme} line view`)).bad);
      await page.locator("#share").click();
      await page.locator("#make-link").waitFor();
      await page.locator("#masks").waitFor();
      found.push(...(await audit(page, `${scheme} share dialog`)).bad);
      await page.locator("#close-share").click();
      await page.locator(".tab", { hasText: "Knowledge base" }).click();
      await page.locator('#kb-list a[data-cause="php-fpm-down"]').click();
      await page.locator("#cause-page").waitFor();
      found.push(...(await audit(page, `${scheme} knowledge base`)).bad);
      console.log(`# ${scheme}: ${main.passes} axe rules pass on the diagnosis, ${main.minor} minor finding(s)`);
      assert.deepEqual(found, []);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}

test("on a phone: one column, nothing wider than the screen", async () => {
  const app = await open({ viewport: { width: 390, height: 844 } });
  try {
    const { page } = app;
    await page.locator("#start-example-node-refused").click();
    await settled(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    const [a, b] = await page.locator(".pastes, .diagnosis").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    assert.equal(a, b, "pastes and diagnosis stack");
    mkdirSync("out", { recursive: true });
    await page.screenshot({ path: "out/screenshot-phone.png", fullPage: false });
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: "docs/screenshot-phone.png" });
    assert.deepEqual((await audit(page, "phone")).bad, []);
  } finally {
    await app.close();
  }
});

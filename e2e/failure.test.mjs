// The analyser's worker stops (a trap in the engine, or a worker script that cannot load): the
// page says so instead of waiting forever, keeps the pastes, and starts a fresh worker for the
// next change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, settled, MISSING_SOCKET } from "./harness.mjs";

test("a worker that stops gives a clear message, not a hang, and the next change recovers", async () => {
  let broken = true;
  let loads = 0;
  const app = await open({
    // Routes do not see what a service worker serves: keep it out of this test.
    serviceWorkers: "block",
    setup: (context) =>
      context.route("**/worker.js", (route) => {
        loads += 1;
        if (!broken) return route.continue();
        // Dies as soon as the page hands it the module, as a trap in the engine would.
        return route.fulfill({
          contentType: "text/javascript",
          body: 'self.onmessage = () => { throw new Error("simulated trap"); };',
        });
      }),
  });
  try {
    const { page } = app;
    const box = page.locator("textarea.paste").first();
    await box.fill(MISSING_SOCKET);
    const notice = page.locator("#notice.error");
    await notice.waitFor({ timeout: 15000 });
    assert.match(await notice.textContent(), /analyser stopped unexpectedly \(.*simulated trap\)/);
    assert.match(await notice.textContent(), /Your pastes are kept/);
    await settled(page); // nothing is left "analysing"
    assert.equal(await box.inputValue(), MISSING_SOCKET);
    // Each request after a failure starts one fresh worker (the change's analysis, then its
    // save); with no more changes, no more workers: never a restart loop.
    await page.waitForTimeout(1000);
    const loadsAfterFailure = loads;
    await page.waitForTimeout(1500);
    assert.equal(loads, loadsAfterFailure, "a stopped worker is not restarted in a loop");

    // The next change starts a fresh worker, which works again.
    broken = false;
    await box.fill(`${MISSING_SOCKET}\n`);
    await page.locator('.finding[data-cause="php-fpm-down"]').waitFor({ timeout: 15000 });
    assert.ok(loads > loadsAfterFailure, "a fresh worker was started");
    assert.deepEqual(app.errors, [], "no errors in the browser console");
  } finally {
    await app.close();
  }
});

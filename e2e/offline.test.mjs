// Offline, from a sub-path: after one visit the page loads and works with the server gone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, MISSING_SOCKET } from "./harness.mjs";
import { serve } from "../scripts/static-server.mjs";

test("served under a sub-path, then reloaded with the network off, it still diagnoses", async () => {
  const server = await serve(process.env.DIST ?? "dist", 0, "/tools/gateway-doctor/");
  let wasmDownloads = 0;
  server.on("request", (req) => { if (req.url.endsWith("_bg.wasm")) wasmDownloads += 1; });
  const app = await open({ persistent: true, server });
  try {
    const { page } = app;
    assert.match(page.url(), /\/tools\/gateway-doctor\/$/);
    const cached = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 50));
      let n = 0;
      for (const k of await caches.keys()) n += (await (await caches.open(k)).keys()).length;
      return { scope: reg.scope, n };
    });
    assert.match(cached.scope, /\/tools\/gateway-doctor\/$/);
    assert.ok(cached.n >= 6, `${cached.n} files cached`);
    // The precache takes the hashed files from the HTTP cache: the wasm comes down once.
    assert.equal(wasmDownloads, 1, "the wasm is downloaded once on a first visit");

    await new Promise((r) => server.close(r));
    await app.context.setOffline(true);
    await page.reload();
    await page.locator("textarea.paste").first().fill(MISSING_SOCKET);
    await page.locator('.finding[data-cause="php-fpm-down"]').waitFor({ timeout: 15000 });
    await page.locator(".tab", { hasText: "Knowledge base" }).click();
    await page.locator('#kb-list a[data-cause="php-fpm-down"]').click();
    await page.locator("#cause-page").waitFor();
    assert.deepEqual(app.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED")), []);
    assert.deepEqual(app.foreignRequests, []);
  } finally {
    await app.close({ keepServer: true });
  }
});

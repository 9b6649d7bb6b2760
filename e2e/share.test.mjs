// Share: redaction shown first (addresses, host names, e-mails, secrets masked; private keys
// refused), then a link whose fragment restores everything in a fresh browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { open, settled } from "./harness.mjs";

const ERROR = '2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 81.2.69.160, server: shop.acme-corp.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.3-fpm.sock:", host: "shop.acme-corp.com"';
const CONFIG = `server {
    server_name shop.acme-corp.com;
    ssl_certificate_key /etc/ssl/private/shop.key;
    location ~ \\.php$ {
        fastcgi_pass unix:/run/php/php8.3-fpm.sock;
        fastcgi_param DB_PASSWORD Tr0ub4dor-3;
    }
    # owner: ops@acme-corp.com
}
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
-----END PRIVATE KEY-----
`;

test("a share link carries the redacted session and restores it elsewhere", async () => {
  const app = await open();
  let other;
  try {
    const { page } = app;
    await page.locator("textarea.paste").first().fill(ERROR);
    await page.locator("#add-box").click();
    await page.locator("textarea.paste").last().fill(CONFIG);
    await page.locator(".finding").first().waitFor({ timeout: 15000 });
    // Answer a question too: it travels with the link.
    await settled(page);

    await page.locator("#share").click();
    const dialog = page.locator("#share-dialog");
    await dialog.locator("#masks").waitFor();
    const listed = await dialog.locator("#masks").textContent();
    for (const item of ["81.2.69.160", "shop.acme-corp.com", "ops@acme-corp.com", "Tr0ub4dor-3"]) {
      assert.ok(listed.includes(item), `${item} is shown before masking`);
    }
    assert.match(await dialog.locator("#private-key-warning").textContent(), /1 private key found/);
    // Leave the e-mail address as it is.
    await dialog.locator("li.mask[data-what='email'] input").uncheck();
    await dialog.locator("li.mask.kept[data-what='email']").waitFor();
    await dialog.locator("#make-link").click();
    const url = await dialog.locator("#share-url").inputValue();
    assert.match(url, /#s1=[A-Za-z0-9_-]+$/);
    for (const secret of ["81.2.69.160", "acme-corp", "Tr0ub4dor", "MIIEv"]) {
      assert.ok(!url.includes(secret), `${secret} is not readable in the link`);
    }
    await dialog.locator("#copy-link").click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    await dialog.locator("#close-share").click();

    // A fresh browser (no storage) opens the link: same pastes, redacted, same diagnosis.
    other = await open({ server: app.server, hash: url.slice(url.indexOf("#")) });
    const p = other.page;
    await p.locator('.finding[data-cause="php-fpm-down"]').waitFor({ timeout: 15000 });
    assert.match(await p.locator("#notice").textContent(), /Restored the diagnosis from the link/);
    const texts = await p.locator(".paste-box").evaluateAll((boxes) => boxes.map((b) => b.textContent + " " + (b.querySelector("textarea")?.value ?? "")));
    const all = texts.join("\n");
    assert.equal(texts.length, 2);
    assert.ok(all.includes("192.0.2.1"), "the address is masked consistently");
    assert.ok(all.includes("shop.site1.example"), "the host name is masked");
    assert.ok(all.includes("ops@acme-corp.com"), "the kept e-mail address stays");
    assert.ok(all.includes("DB_PASSWORD REDACTED"), "the password is masked");
    assert.ok(all.includes("[private key removed]") && !all.includes("MIIEv"), "the private key is not shared");
    assert.ok(!p.url().includes("#s1="), "the fragment is dropped once restored");
    assert.deepEqual(app.errors, []);
    assert.deepEqual(other.errors, []);
    assert.deepEqual([...app.foreignRequests, ...other.foreignRequests], []);
  } finally {
    if (other) await other.close({ keepServer: true });
    await app.close();
  }
});

test("a damaged link says so", async () => {
  const app = await open({ hash: "#s1=AAAA" });
  try {
    await app.page.locator("#notice.notice.error").waitFor();
    assert.match(await app.page.locator("#notice").textContent(), /damaged|incomplete/);
  } finally {
    await app.close();
  }
});

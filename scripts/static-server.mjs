// A small static file server for the built site (dist/): used by scripts/serve and the e2e
// tests, so both serve exactly the same way. No dependencies beyond Node itself.
//   node scripts/static-server.mjs [DIR] [PORT] [PREFIX]
// PREFIX (e.g. /sub/path/) serves the site under a sub-path, as a static host might.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** Starts a server for `dir` on 127.0.0.1:`port` (0 = any free port); resolves to it. */
export async function serve(dir, port = 0, prefix = "/") {
  const root = path.resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      let url = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (!url.startsWith(prefix)) {
        res.writeHead(404).end("not found");
        return;
      }
      url = "/" + url.slice(prefix.length);
      let file = path.join(root, url);
      if (!file.startsWith(root)) {
        res.writeHead(403).end("forbidden");
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  server.url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = "dist", port = "8080", prefix = "/"] = process.argv.slice(2);
  const server = await serve(dir, Number(port), prefix);
  console.log(`Gateway Doctor is served at ${server.url}  (Ctrl-C to stop)`);
}

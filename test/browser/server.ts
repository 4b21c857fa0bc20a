/**
 * A tiny static server on 127.0.0.1 (a free port) for the test pages: each URL prefix maps to a
 * folder; nothing outside those folders is served.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** A running server: its origin (`http://127.0.0.1:PORT`) and `close`. */
export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `mounts` (URL prefix such as '/' or '/wasm/' to a folder) on 127.0.0.1.
 *
 * @example
 * const server = await serveStatic({ '/': bundleDir, '/wasm/': wasmDir });
 * await page.goto(`${server.origin}/index.html`);
 */
export async function serveStatic(mounts: Record<string, string>): Promise<StaticServer> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const root = prefix === undefined ? undefined : mounts[prefix];
    const file = root === undefined || prefix === undefined ? undefined : normalize(join(root, path.slice(prefix.length)));
    if (root === undefined || file === undefined || !(file + sep).startsWith(normalize(root + sep))) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

#!/bin/sh
# Checks the WebP codec in a browser bundle: Vite bundles a page that encodes and decodes a fixed
# image with src/webp/, a local static server serves it, headless Chromium runs it; the page's
# text (file length and checksums) must equal what Node computes. Needs chromium (Debian package)
# and python3; not part of `npm test`.
#   sh scripts/check-webp-browser.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
cat > "$TMP/probe.ts" <<JS
import { decodeWebp, encodeWebp } from '$ROOT/src/webp/index.ts';
export async function probe(): Promise<string> {
  const image = { width: 32, height: 24, channels: 3 as const, data: new Uint8Array(32 * 24 * 3).map((_, i) => (i * 13) % 256) };
  const lines: string[] = [];
  for (const q of [0, 50, 100]) {
    const file = await encodeWebp(image, q);
    const back = await decodeWebp(file);
    let a = 0; let b = 0;
    for (const v of file) a = (a * 31 + v) >>> 0;
    for (const v of back.data) b = (b * 31 + v) >>> 0;
    lines.push(\`q\${q} bytes=\${file.length} file=\${a} pixels=\${b}\`);
  }
  return lines.join(';');
}
JS
cat > "$TMP/main.ts" <<JS
import { probe } from './probe.ts';
probe().then((t) => { document.body.textContent = 'RESULT ' + t; }, (e) => { document.body.textContent = 'ERROR ' + e; });
JS
echo '<script type="module" src="./main.ts"></script>' > "$TMP/index.html"
echo '{ "type": "module" }' > "$TMP/package.json"
"$ROOT/node_modules/.bin/vite" build "$TMP" --outDir "$TMP/out" --logLevel warn
PORT=$((20000 + $$ % 20000))
(cd "$TMP/out" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
SERVER=$!
sleep 1
BROWSER=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=20000 --dump-dom "http://127.0.0.1:$PORT/" 2>/dev/null | sed -n 's/.*<body>\(.*\)<\/body>.*/\1/p')
cat > "$TMP/node.ts" <<JS
import { probe } from './probe.ts';
console.log('RESULT ' + await probe());
JS
NODE=$(cd "$ROOT" && npx tsx "$TMP/node.ts")
echo "browser: $BROWSER"
echo "node:    $NODE"
[ -n "$BROWSER" ] && [ "$BROWSER" = "$NODE" ] && echo "browser bundle OK: same bytes and pixels as Node"

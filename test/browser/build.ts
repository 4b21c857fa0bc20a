/**
 * Builds what the browser suite serves: the package's core with its own build tool and settings
 * (tsup, the ESM entry of tsup.config.ts, without type declarations), then the test page bundled
 * from that build by a plain `esbuild --platform=browser` with no shim for `node:` modules, so a
 * `node:` import anywhere in the core fails the bundle.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built files: the folder to serve and where tfjs-backend-wasm's `.wasm` files are. */
export interface BuiltPages {
  dir: string;
  wasmDir: string;
  /** Seconds spent in tsup and in esbuild. */
  seconds: { package: number; bundle: number };
  remove(): void;
}

/** Builds the core into a temporary folder and bundles `test/browser/page/main.ts` against it. */
export async function buildPages(): Promise<BuiltPages> {
  const dir = mkdtempSync(join(tmpdir(), 'helmholtz-browser-'));
  const packageDir = join(dir, 'package');
  const t0 = performance.now();
  const { build: tsup } = await import('tsup');
  await tsup({
    config: false,
    entry: { index: join(ROOT, 'src/index.ts') },
    format: ['esm'],
    dts: false,
    target: 'es2022',
    platform: 'neutral',
    external: [/^@tensorflow\//, /^node:/],
    outDir: packageDir,
    silent: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
  });
  const t1 = performance.now();
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(ROOT, 'test/browser/page/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outfile: join(dir, 'main.js'),
    alias: { 'helmholtz-ml': join(packageDir, 'index.js') },
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'error',
    sourcemap: false,
  });
  const t2 = performance.now();
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>helmholtz-ml browser tests</title></head>' +
      '<body><script type="module" src="main.js"></script></body></html>',
  );
  return {
    dir,
    wasmDir: join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
    seconds: { package: (t1 - t0) / 1000, bundle: (t2 - t1) / 1000 },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

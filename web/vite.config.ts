/**
 * The web page's build: Vite with `web/` as its root, the package's own entry point as
 * `helmholtz-ml` (the source, so the page always runs the library of this checkout), a module
 * worker, and the static site written to `dist-web/`. `npm run web` serves it on 127.0.0.1.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  resolve: { alias: { 'helmholtz-ml': fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
  worker: { format: 'es' },
  build: { outDir: fileURLToPath(new URL('../dist-web', import.meta.url)), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 6000 },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});

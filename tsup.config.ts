import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    external: [/^@tensorflow\//, /^node:/],
  },
  {
    // The queue workers' sandboxed processor is its own file (BullMQ loads it in a thread).
    entry: { 'cli/main': 'src/cli/main.ts', 'node/queue/processor': 'src/node/queue/processor.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: [/^@tensorflow\//],
  },
]);

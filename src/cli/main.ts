/**
 * The `helmholtz-ml` bin (built to dist/cli/main.js; `npm run demo` runs this file with tsx).
 * Ctrl-C once: stop after saving what is finished; twice: exit at once.
 */
import { isMainThread } from 'node:worker_threads';
import { runCli } from './run.js';

// The data loader of queue workers' processor threads (they import this bundle for it).
export { loadDataReference } from './worker-command.js';

async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nStopping (Ctrl-C again to quit at once)...\n');
    controller.abort(new Error('interrupted'));
  });
  const code = await runCli(
    process.argv.slice(2),
    {
      stdout: process.stdout,
      stderr: process.stderr,
      cwd: process.cwd(),
      signal: controller.signal,
      // Loaded on use, so that --help and bad flags answer at once (tfjs and Vega load in ~1 s).
      estimateNoise: async (options) => (await import('../node/estimate.js')).estimateNoise(options),
      renderPlot: async (estimate, options) => (await import('../node/plot.js')).renderNoisePlotSvg(estimate, options),
    },
    process.env,
  );
  process.exitCode = code;
}

// This bundle is also the script of the worker threads that train levels in parallel: only the
// main thread runs the command line.
if (isMainThread) void main();

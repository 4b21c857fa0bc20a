/**
 * The `helmholtz-ml` command line, callable in-process (tests) as `runCli(argv, io)`: dispatches
 * to `demo`, `estimate` and `report`, prints help, and turns errors into messages and exit codes
 * (0 done, 1 error, 2 bad usage, 130 interrupted) without stack traces (set HELMHOLTZ_DEBUG=1
 * to see them).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './args.js';
import { DEMO_HELP, demoCommand } from './demo-command.js';
import { ESTIMATE_HELP, estimateCommand } from './estimate-command.js';
import { REPORT_HELP, reportCommand } from './report-command.js';
import { WORKER_HELP, workerCommand } from './worker-command.js';
import type { CliIo } from './sweep.js';

export type { CliIo } from './sweep.js';

const COMMANDS: Record<string, { run: (argv: readonly string[], io: CliIo) => Promise<number>; help: string; summary: string }> = {
  demo: { run: demoCommand, help: DEMO_HELP, summary: 'noise estimate of embedded synthetic sensor images (2-3 minutes); writes helmholtz-demo.json/.svg' },
  estimate: { run: estimateCommand, help: ESTIMATE_HELP, summary: 'noise estimate of your labeled images (CIFAR-10, MNIST-style IDX, image folders)' },
  report: { run: reportCommand, help: REPORT_HELP, summary: 'table, summary, CSV and plot of a saved results file' },
  worker: { run: workerCommand, help: WORKER_HELP, summary: 'train cells of distributed sweeps (estimate --redis) from a BullMQ queue on Redis' },
};

/** The top-level help. */
export const MAIN_HELP = `Usage: helmholtz-ml <command> [flags]

Finds how much of a labeled image dataset is noise: trains the same classifier on the data
compressed with JPEG at many qualities, finds where accuracy falls off (the knee, N_approx),
and reports the bits per pixel that remain there (the content) and the strongest compression
that costs no accuracy (the Helmholtz method, Friedland et al.).

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`).join('\n')}
  help CMD  the flags of a command (same as: helmholtz-ml CMD --help)

Flags: --help, --version
`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code.
 *
 * @example
 * const code = await runCli(['demo', '--quiet', '--out-dir', '/tmp'], io);
 */
export async function runCli(argv: readonly string[], io: CliIo, env: Record<string, string | undefined> = {}): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(MAIN_HELP);
    return 2;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(MAIN_HELP);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  if (first === 'help') {
    const target = rest[0];
    if (target === undefined) {
      io.stdout.write(MAIN_HELP);
      return 0;
    }
    const command = COMMANDS[target];
    if (!command) {
      io.stderr.write(`helmholtz-ml: unknown command ${JSON.stringify(target)}; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
      return 2;
    }
    io.stdout.write(command.help);
    return 0;
  }
  const command = COMMANDS[first];
  if (!command) {
    io.stderr.write(`helmholtz-ml: unknown command ${JSON.stringify(first)}; commands: ${Object.keys(COMMANDS).join(', ')} (helmholtz-ml --help)\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const e = err as Error;
    if (e instanceof UsageError) {
      io.stderr.write(`helmholtz-ml ${first}: ${e.message}\nRun \`helmholtz-ml ${first} --help\` for the flags.\n`);
      return 2;
    }
    io.stderr.write(`helmholtz-ml ${first}: error: ${e?.message ?? String(err)}\n`);
    if (env.HELMHOLTZ_DEBUG) io.stderr.write(`${e?.stack ?? ''}\n`);
    return 1;
  }
}

import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    cwd: process.cwd(),
    estimateNoise: async () => {
      throw new Error('not called');
    },
    renderPlot: async () => '',
  };
  return { code: await runCli(argv, io), out, err };
}

describe('queue flags of the CLI', () => {
  it('worker needs --redis and a redis URL; its help names the flags', async () => {
    expect((await cli(['worker'])).err).toMatch(/--redis is required/);
    expect((await cli(['worker', '--redis', 'http://x'])).code).toBe(2);
    const help = await cli(['worker', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--redis', '--queue', '--backend', '--threads', '--concurrency', '--lock-ms']) expect(help.out).toContain(flag);
  });
  it('estimate: --queue needs --redis, --workers excludes it, a bad URL is a usage error', async () => {
    const tiny = ['estimate', '--data', 'synthetic:train=30,test=12,size=8,classes=3', '--levels', '10,50,90'];
    expect((await cli([...tiny, '--queue', 'q'])).err).toMatch(/--queue needs --redis/);
    expect((await cli([...tiny, '--redis', 'redis://127.0.0.1:1', '--workers', '2'])).err).toMatch(/--workers and --redis exclude each other/);
    const bad = await cli([...tiny, '--redis', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--redis\/--queue: connection must be a redis:\/\/HOST:PORT URL/);
    expect((await cli(['estimate', '--help'])).out).toContain('synthetic:train=N');
  });
});

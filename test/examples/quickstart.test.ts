import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('examples/quickstart.ts (the README example)', () => {
  it('runs as a user would run it, with tsx', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], {
      env: { ...process.env, QUICKSTART_TINY: '1' },
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(out).toMatch(/knee \(N_approx\):/);
    expect(out).toMatch(/content at the knee: /);
    expect(out).toMatch(/JPEG quality \d+/);
  });
});

/**
 * Runs a reference implementation ("peer") on this machine and returns the number it prints on
 * its last line, or null (with the reason) where the peer is not installed. Benchmarks divide
 * our throughput by this number, measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface PeerResult {
  value: number | null;
  reason?: string;
}

/** The folder holding the shared peer scripts (`../shared/peers` beside the repository). */
export const PEERS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'peers');

/** Runs `command args...` and parses the last non-empty line of stdout as a number. */
export function runPeer(command: string, args: string[], timeoutMs = 600_000, env?: Record<string, string>): PeerResult {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: env === undefined ? process.env : { ...process.env, ...env } });
  if (r.error) return { value: null, reason: `${command}: ${r.error.message}` };
  if (r.status !== 0) return { value: null, reason: `${command} exited ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}` };
  const lines = r.stdout.trim().split('\n');
  const value = Number(lines[lines.length - 1]);
  return Number.isFinite(value) ? { value } : { value: null, reason: `${command} printed no number` };
}

/** Runs one of the shared Python peer scripts with Debian's python3 (extra environment: `env`). */
export function runPythonPeer(script: string, args: string[] = [], env?: Record<string, string>): PeerResult {
  const file = path.join(PEERS_DIR, script);
  if (!existsSync(file)) return { value: null, reason: `${file} not found` };
  return runPeer('/usr/bin/python3', [file, ...args], 600_000, env);
}

/** Prints one benchmark row: ours, the reference, and the ratio, with the bar it must reach. */
export function report(name: string, ours: number, unit: string, peer: PeerResult, peerName: string, bar?: number): void {
  const oursText = `${ours.toFixed(1)} ${unit}`;
  if (peer.value === null) {
    console.log(`${name}: ${oursText}; ${peerName}: unavailable (${peer.reason})`);
    return;
  }
  const ratio = ours / peer.value;
  const barText = bar === undefined ? '' : Number(bar.toFixed(2));
  const verdict = bar === undefined ? '' : `  [bar ${barText}x: ${ratio >= bar ? 'PASS' : 'FAIL'}]`;
  console.log(`${name}: ${oursText}; ${peerName}: ${peer.value.toFixed(1)} ${unit}; ratio ${ratio.toFixed(2)}x${verdict}`);
}

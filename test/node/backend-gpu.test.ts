/** The Node GPU check: tfjs-node-gpu that loads but computes on the CPU is reported once. */
import { describe, expect, it } from 'vitest';
import { warnIfNativeCpuFallback } from '../../src/node/backend.js';

/** Stand-ins for tfjs-node's kernel backend: its binding answers `isUsingGpuDevice()`. */
const mockNativeBackend = (gpu: boolean) => ({ binding: { isUsingGpuDevice: () => gpu } });

describe('warnIfNativeCpuFallback', () => {
  it('stays silent on a GPU, for tfjs-node (CPU by design) and when the backend does not say', () => {
    const said: string[] = [];
    expect(warnIfNativeCpuFallback('@tensorflow/tfjs-node-gpu', mockNativeBackend(true), (m) => said.push(m))).toBe(false);
    expect(warnIfNativeCpuFallback('@tensorflow/tfjs-node', mockNativeBackend(false), (m) => said.push(m))).toBe(false);
    expect(warnIfNativeCpuFallback('@tensorflow/tfjs-node-gpu', {}, (m) => said.push(m))).toBe(false);
    expect(said).toEqual([]);
  });

  it('says once that tfjs-node-gpu runs on the CPU, naming CUDA and cuDNN', () => {
    const said: string[] = [];
    const backend = { isUsingGpuDevice: () => false };
    expect(warnIfNativeCpuFallback('@tensorflow/tfjs-node-gpu', backend, (m) => said.push(m))).toBe(true);
    expect(warnIfNativeCpuFallback('@tensorflow/tfjs-node-gpu', mockNativeBackend(false), (m) => said.push(m))).toBe(false);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/tfjs-node-gpu loaded but TensorFlow runs on the CPU/);
    expect(said[0]).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
  });
});

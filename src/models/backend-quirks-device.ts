/**
 * Where the current tfjs backend really computes. A browser without a usable GPU (headless
 * Chrome, a VM, a blocklisted driver) still gives `webgl` and `webgpu` a device: SwiftShader or
 * llvmpipe, software renderers that run the shaders on the CPU, far slower than the `wasm`
 * backend there. Nothing in tfjs says so; {@link backendDevice} reads the renderer (WebGL's
 * `UNMASKED_RENDERER_WEBGL`, WebGPU's adapter info) and training warns once when it finds one.
 *
 * Browser-safe: imports only `@tensorflow/tfjs-core`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** What {@link backendDevice} finds. */
export interface BackendDevice {
  /** The tfjs backend, `tf.getBackend()`. */
  backend: string;
  /** 'gpu' for a hardware GPU, 'cpu' for a CPU backend or a software GPU renderer. */
  device: 'gpu' | 'cpu';
  /** True for webgl / webgpu on a software renderer (the silent CPU fallback). */
  software: boolean;
  /** The renderer or adapter as the browser names it ('' when unknown or not a GPU backend). */
  renderer: string;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** The renderer string of the webgl backend's context, or ''. */
function webglRenderer(): string {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (gl == null || typeof gl.getParameter !== 'function') return '';
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const value: unknown = debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  return typeof value === 'string' ? value : '';
}

/** The adapter description of the webgpu backend, or ''. */
function webgpuAdapter(): string {
  const info = (tf.backend() as unknown as { adapterInfo?: Record<string, unknown> }).adapterInfo;
  if (info == null) return '';
  return ['vendor', 'architecture', 'device', 'description']
    .map((key) => info[key])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join(' ');
}

/**
 * Describes the device the current backend computes on.
 *
 * @example
 * await tf.setBackend('webgl');
 * backendDevice(); // in headless Chrome: { backend: 'webgl', device: 'cpu', software: true, renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...' }
 */
export function backendDevice(): BackendDevice {
  const backend = tf.getBackend();
  const renderer = backend === 'webgl' ? webglRenderer() : backend === 'webgpu' ? webgpuAdapter() : '';
  const gpuBackend = backend === 'webgl' || backend === 'webgpu';
  const software = gpuBackend && SOFTWARE.test(renderer);
  return { backend, device: gpuBackend && !software ? 'gpu' : 'cpu', software, renderer };
}

const warned = new Set<string>();

/**
 * Warns once per backend (console.warn) when the current backend is webgl or webgpu on a
 * software renderer. Training calls it; returns the device it found.
 *
 * @example
 * warnIfSoftwareGpu(); // "helmholtz-ml: webgl runs on a software renderer (SwiftShader ...)"
 */
export function warnIfSoftwareGpu(): BackendDevice | null {
  const backend = tf.getBackend();
  if ((backend !== 'webgl' && backend !== 'webgpu') || warned.has(backend)) return null;
  warned.add(backend);
  const device = backendDevice();
  if (device.software) {
    console.warn(
      `helmholtz-ml: ${backend} runs on a software renderer (${device.renderer}), that is on the CPU, ` +
        `without a GPU; the wasm backend is faster there`,
    );
  }
  return device;
}

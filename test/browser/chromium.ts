/**
 * Debian's Chromium driven by playwright-core: where it is, the flags that give it a WebGPU
 * adapter and WebGL on SwiftShader with no network, and a launcher with a fresh profile.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** The browser the suite drives (Debian's `chromium` package); never a downloaded one. */
export const CHROMIUM = process.env.HELMHOLTZ_CHROMIUM ?? '/usr/bin/chromium';

/** Why the suite cannot run here, or null when it can. */
export function missingBrowser(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} (install Debian's chromium: apt-get install -y chromium)`;
  return null;
}

/**
 * WebGPU and WebGL on SwiftShader (software Vulkan / ANGLE), headless, and every background
 * connection of Chromium's own switched off (the test machine has no network).
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** A launched Chromium with its own fresh profile; `close` removes the profile. */
export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with {@link CHROMIUM_FLAGS} and a fresh `--user-data-dir`. */
export async function launchChromium(): Promise<LaunchedChromium> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'helmholtz-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/**
 * Debian's `chromium-headless-shell` (apt-get install chromium-headless-shell; .ci/run installs it):
 * playwright-core's own browser download is not reachable from here. CHROMIUM_PATH overrides.
 */
const CANDIDATES = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error(`no headless Chromium at ${process.env.CHROMIUM_PATH ?? CANDIDATES.join(' or ')}: apt-get install chromium-headless-shell (or set CHROMIUM_PATH)`);
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, timeout: 30_000 });
}

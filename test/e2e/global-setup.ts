import { existsSync } from 'node:fs';
import { build } from 'vite';
import { chromiumPath } from './browser.js';

/**
 * Builds the dashboard into dist/web (what the platform serves at `/`) from the current source, and
 * checks that Debian's chromium is installed (.ci/run installs it; playwright-core never downloads one).
 */
export default async function setup(): Promise<void> {
  const exe = chromiumPath();
  if (!existsSync(exe)) {
    throw new Error(`no Chromium at ${exe}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

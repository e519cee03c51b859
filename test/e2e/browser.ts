import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; CHROMIUM_PATH overrides. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

// Headless, no sandbox (CI runs as root), and nothing that talks to the internet on its own.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  readonly browser: Browser;
  /** A fresh context (own sessionStorage) at the given viewport. */
  context(opts?: { width?: number; height?: number; colorScheme?: 'light' | 'dark' }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<BrowserSession> {
  // launch() gives Chromium a new empty --user-data-dir and removes it on close
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: FLAGS, timeout: 60_000 });
  return {
    browser,
    async context(opts = {}) {
      const ctx = await browser.newContext({
        viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
        colorScheme: opts.colorScheme ?? 'light',
        deviceScaleFactor: 1,
        reducedMotion: 'reduce',
      });
      ctx.setDefaultTimeout(20_000);
      return ctx;
    },
    async close() {
      await browser.close();
    },
  };
}

// A test run writes its pictures to an ignored folder; `npm run screenshots` refreshes the committed
// ones in docs/screenshots (the README embeds some of them).
const SHOTS = join(process.cwd(), process.env.SCREENSHOT_DIR ?? join('test', 'e2e', 'screenshots', 'tmp'));

/** Saves <SCREENSHOT_DIR>/<name>.png. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean; toasts?: boolean } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // no blinking caret or running transition in the picture, and notices only where they are the point
  await page.addStyleTag({ content: `*{caret-color:transparent!important;transition:none!important}.toasts{display:${opts.toasts ? 'flex' : 'none'}!important}` });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: opts.fullPage ?? false, animations: 'disabled' });
}

/** Fills the sign-in form and waits for the stores page. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Stores', level: 1 }).waitFor();
}

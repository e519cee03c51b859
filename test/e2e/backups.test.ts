import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupTargetConfig, startS3, type S3Server } from '../integration/backup-stack.js';
import { startApi, specFor, type ApiHarness } from '../integration/api-harness.js';
import { createTestNamespace, deleteNamespace } from '../support/cluster.js';
import { launchChromium, screenshot, signIn, type BrowserSession } from './browser.js';

// The Backups tab in headless Chromium against the simulated cluster, with versitygw as the backup
// target: "Back up now", then "Clone" into a new store, followed to Ready. kwok ends the backup and
// restore pods as the scripts do (see test/integration/api-backups.test.ts); the scripts run for real in
// backup-roundtrip.test.ts.

const READY_MS = 240_000;
const BUCKET = 'store-backups';

let api: ApiHarness;
let chrome: BrowserSession;
let s3: S3Server;
let dir: string;
let escrowNamespace: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sp-e2e-backups-'));
  mkdirSync(join(dir, 's3', BUCKET), { recursive: true });
  [s3, escrowNamespace, chrome] = await Promise.all([startS3(join(dir, 's3')), createTestNamespace('sp-escrow'), launchChromium()]);
  api = await startApi({ WEB_DIR: join(process.cwd(), 'dist', 'web'), ...backupTargetConfig(s3, BUCKET, escrowNamespace, randomBytes(32)), BACKUP_SCHEDULE_HOURS: 0 });
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await api?.close();
  await s3?.stop();
  if (escrowNamespace) await deleteNamespace(escrowNamespace, false).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dashboard backups', () => {
  it('backs a store up from its Backups tab and clones the backup into a new store that reaches Ready', { timeout: 600_000 }, async () => {
    const name = api.name('bkweb');
    const created = await api.call('POST', '/api/v1/stores', { body: specFor(name) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    await signIn(page, api.url, api.adminKey);
    await page.goto(`${api.url}/stores/${id}/timeline`);
    await page.getByText('Finished: Ready').waitFor({ timeout: READY_MS });

    await page.getByRole('tab', { name: 'Backups' }).click();
    await page.getByText('No backups yet.').waitFor();
    await page.getByRole('button', { name: 'Back up now' }).click();
    const row = page.locator('tr[data-backup]');
    await expect.poll(async () => (await row.first().locator('td').nth(2).textContent())?.trim(), { timeout: READY_MS }).toBe('Succeeded');
    expect(await row.first().locator('td').nth(1).textContent()).toBe('on-demand');
    const backupId = await row.first().getAttribute('data-backup');

    await row.first().getByRole('button', { name: 'Clone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clone into a new store' });
    const input = dialog.getByLabel('Name of the new store');
    expect(await input.inputValue()).toBe(`${name}-copy`.slice(0, 40));
    const copyName = api.name('bkcopy');
    await input.fill(copyName);
    await screenshot(page, 'backups-clone');
    await dialog.getByRole('button', { name: 'Make the store' }).click();
    const link = page.getByRole('status').getByRole('link', { name: copyName });
    await link.waitFor();
    await screenshot(page, 'backups-tab', { toasts: true });

    await link.click();
    await page.getByText('Finished: Ready').waitFor({ timeout: READY_MS });
    const copy = (await (await api.call('GET', `/api/v1/stores?limit=100`)).json()) as { items: { id: string; name: string; sourceBackupId: string | null; status: string }[] };
    const made = copy.items.find((s) => s.name === copyName);
    expect(made).toMatchObject({ status: 'Ready', sourceBackupId: backupId });
    // the clone's timeline shows the restore that made it
    await page.locator('.timeline-step[data-step="restore"]').waitFor();
    await ctx.close();
    await api.call('DELETE', `/api/v1/stores/${made!.id}?skipFinalBackup=true`);
    await api.call('DELETE', `/api/v1/stores/${id}?skipFinalBackup=true`);
  });
});

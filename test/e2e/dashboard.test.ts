import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, specFor, type ApiHarness } from '../integration/api-harness.js';
import { waitForStatus } from '../integration/engine-harness.js';
import { launchChromium, screenshot, signIn, type BrowserSession } from './browser.js';

// The built dashboard (dist/web, built by the global setup) served by the platform, driven in
// headless Chromium against the simulated cluster: the whole store lifecycle as an operator sees it.

const READY_MS = 180_000;

let api: ApiHarness;
let chrome: BrowserSession;

beforeAll(async () => {
  // a day's undelete window: a delete parks the store, the dashboard undeletes it, the API purges it
  [api, chrome] = await Promise.all([startApi({ WEB_DIR: join(process.cwd(), 'dist', 'web'), UNDELETE_WINDOW_HOURS: 24 }), launchChromium()]);
});
afterAll(async () => {
  await chrome?.close();
  await api?.close();
});

/** Console errors, page errors and failed API calls, so a broken asset, CSP violation or bad request fails the test. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // "Failed to load resource" repeats a response status; those are judged below
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    // the role lookup at sign-in answers 401 for a wrong key
    const signInLookup = path === '/api/v1/me';
    if (r.status() >= 400 && !signInLookup) errors.push(`${r.status()} ${r.request().method()} ${path}`);
  });
  return errors;
}

describe('dashboard', () => {
  it('signs in, creates a store, watches it reach Ready, inspects it, resets its password and deletes it', async () => {
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    const name = api.name('web');

    await page.goto(`${api.url}/`);
    await page.getByLabel('API key').waitFor();
    await screenshot(page, 'sign-in');
    await page.getByLabel('API key').fill('sp_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/does not know this API key/);

    await signIn(page, api.url, api.adminKey);
    await page.getByText('Admin', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'No stores yet' }).waitFor();
    await page.locator('.live-on').waitFor(); // the event stream is connected
    await screenshot(page, 'stores-empty');

    // the create dialog validates like the API before anything is sent
    await page.getByRole('button', { name: '+ Create store' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a store' });
    await dialog.getByLabel('Name', { exact: true }).fill('Bad Name');
    await dialog.getByLabel('Admin email').fill('not-an-email');
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await dialog.getByText(/name must be lowercase letters/).waitFor();
    await dialog.getByText(/enter an email address/).waitFor();
    expect(await dialog.getByLabel('Name', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'create-store-validation');

    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Store title').fill('Acme Outdoor Supply');
    await dialog.getByLabel('Admin email').fill('owner@example.com');
    await dialog.getByLabel('Plan').selectOption('small');
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`tr[data-store="${name}"]`);
    await row.waitFor();
    // the store is there at once, with the status it was accepted with
    expect(await row.locator('[data-status]').getAttribute('data-status')).toMatch(/Pending|Provisioning|Ready/);
    await screenshot(page, 'stores-list', { toasts: true });

    await row.getByRole('link', { name, exact: true }).click();
    await page.getByRole('tab', { name: 'Timeline' }).waitFor();
    await page.locator('.timeline-step').first().waitFor();
    await page.getByText('Finished: Ready').waitFor({ timeout: READY_MS });
    const states = await page.locator('.timeline-step').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
    expect(states.length).toBeGreaterThan(3);
    expect(states.filter((s) => s !== 'note').every((s) => s === 'done')).toBe(true);
    await screenshot(page, 'store-timeline', { fullPage: true });

    await page.getByRole('tab', { name: 'Health' }).click();
    await page.getByRole('heading', { name: 'Pods' }).waitFor();
    await page.locator('.health-grid tbody tr').first().waitFor();
    expect(await page.getByRole('meter').count()).toBeGreaterThan(0);
    await screenshot(page, 'store-health', { fullPage: true });

    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByLabel('Component').selectOption('wordpress');
    await page.locator('.log-block, .tabpanel p.muted').first().waitFor();
    await page.getByLabel('Follow').check();
    await screenshot(page, 'store-logs');
    await page.getByLabel('Follow').uncheck();

    // dark theme, same page
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'store-timeline-dark');
    await page.getByRole('button', { name: 'Dark theme' }).click();

    await page.getByRole('tab', { name: 'Actions' }).click();
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('dialog', { name: 'Reset the admin password?' }).getByRole('button', { name: 'Reset password' }).click();
    const secret = page.getByRole('dialog', { name: 'New admin password' });
    await secret.waitFor({ timeout: 60_000 });
    const password = await secret.getByRole('textbox', { name: 'Password' }).inputValue();
    expect(password.length).toBeGreaterThanOrEqual(16);
    await screenshot(page, 'store-reset-password');
    await secret.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByText(password).count()).toBe(0);
    expect(await page.locator(`input[value="${password}"]`).count()).toBe(0);

    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${name}?` });
    const del = confirm.getByRole('button', { name: 'Delete store' });
    expect(await del.isDisabled()).toBe(true);
    await confirm.getByLabel(`Type ${name} to confirm`).fill(name.slice(0, -1));
    expect(await del.isDisabled()).toBe(true);
    await confirm.getByLabel(`Type ${name} to confirm`).fill(name);
    await screenshot(page, 'store-delete-confirm');
    await del.click();
    await page.getByRole('tab', { name: 'Timeline', selected: true }).waitFor();
    // parked for the undelete window, then purged by an admin through the API
    await page.getByText(/Store deleted and parked/).waitFor({ timeout: READY_MS });
    await page.getByRole('tab', { name: 'Actions' }).click();
    await page.getByRole('button', { name: 'Undelete' }).waitFor();
    await screenshot(page, 'store-undelete');
    const id = new URL(page.url()).pathname.split('/')[2];
    expect((await api.call('DELETE', `/api/v1/stores/${id}?purge=now`)).status).toBe(202);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByText('Finished: Deleted').waitFor({ timeout: READY_MS });
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('Deleted');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const actions = await page.locator('.audit-table tbody tr td:nth-child(3)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['store.create', 'store.reset-admin-password', 'store.delete']));
    await screenshot(page, 'audit-log');

    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('suspends a Ready store behind its confirmation, sees it Suspended, resumes it to Ready, then deletes and undeletes it', async () => {
    const name = api.name('pause');
    const created = await api.call('POST', '/api/v1/stores', { body: specFor(name) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, api.url, api.adminKey);
    await page.goto(`${api.url}/stores/${id}/timeline`);
    await page.getByText('Finished: Ready').waitFor({ timeout: READY_MS });
    const badge = page.locator('.store-facts [data-status]');

    await page.getByRole('tab', { name: 'Actions' }).click();
    await page.getByRole('button', { name: 'Suspend…' }).click();
    const suspend = page.getByRole('dialog', { name: `Suspend ${name}?` });
    await suspend.getByText(/maintenance page/).waitFor();
    await suspend.getByRole('button', { name: 'Suspend store' }).click();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: READY_MS }).toBe('Suspended');
    await page.getByText(/shoppers see a maintenance page/).waitFor();
    expect(await page.getByRole('button', { name: 'Restart' }).isDisabled()).toBe(true);
    await screenshot(page, 'store-suspended');

    await page.getByRole('button', { name: 'Resume…' }).click();
    await page.getByRole('dialog', { name: `Resume ${name}?` }).getByRole('button', { name: 'Resume store' }).click();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: READY_MS }).toBe('Ready');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.locator('.timeline-step[data-step="resume-check"]').waitFor();
    expect(await page.locator('.timeline-step[data-step="suspend-workloads"]').getAttribute('data-state')).toBe('done');

    // delete, then undelete within the window: Ready again
    await page.getByRole('tab', { name: 'Actions' }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${name}?` });
    await confirm.getByLabel(`Type ${name} to confirm`).fill(name);
    await confirm.getByRole('button', { name: 'Delete store' }).click();
    await page.getByText(/Store deleted and parked/).waitFor({ timeout: READY_MS });
    expect(await badge.getAttribute('data-status')).toBe('Deleting');
    await page.getByRole('tab', { name: 'Actions' }).click();
    await page.getByRole('button', { name: 'Undelete' }).click();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: READY_MS }).toBe('Ready');
    await page.getByRole('button', { name: 'Delete…' }).waitFor();

    expect(errors).toEqual([]);
    await ctx.close();
    await api.call('DELETE', `/api/v1/stores/${id}?purge=now`);
  });

  it('creates a Medusa store from the engines the API offers, sees it Ready, with Medusa\'s workloads and admin link', async () => {
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    const name = api.name('medusa-web');
    await signIn(page, api.url, api.adminKey);
    await page.getByRole('button', { name: '+ Create store' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a store' });
    const engine = dialog.getByLabel('Engine');
    await expect.poll(() => engine.locator('option').allTextContents()).toEqual(['WooCommerce', 'Medusa']);
    await engine.selectOption({ label: 'Medusa' });
    await dialog.getByLabel('Plan').selectOption('standard');
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Store title').fill('Tea Leaves');
    await dialog.getByLabel('Admin email').fill('owner@example.com');
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`tr[data-store="${name}"]`).getByRole('link', { name, exact: true }).click();
    await page.getByText('Finished: Ready').waitFor({ timeout: READY_MS });
    const steps = await page.locator('.timeline-step').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.step));
    expect(steps).toEqual(expect.arrayContaining(['postgres', 'redis', 'store-setup', 'medusa', 'store-check']));
    expect(await page.getByRole('link', { name: /^Admin: / }).getAttribute('href')).toMatch(/\/app\/$/);
    await page.getByRole('tab', { name: 'Logs' }).click();
    expect(await page.getByLabel('Component').locator('option').allTextContents()).toEqual(['All components', 'postgres', 'redis', 'medusa', 'worker']);
    await page.getByRole('tab', { name: 'Actions' }).click();
    expect(await page.getByLabel('Restart').locator('option').allTextContents()).toEqual(['All workloads', 'postgres', 'redis', 'medusa', 'worker']);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('shows a viewer key the stores but no control that changes them, on a laptop and on a phone', async () => {
    const name = api.name('viewer');
    const created = await api.call('POST', '/api/v1/stores', { body: specFor(name, { title: 'Viewer Demo Store' }) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, api.url, api.viewerKey);
    await page.getByText('Viewer (read-only)').waitFor();
    await page.locator(`tr[data-store="${name}"]`).waitFor();
    expect(await page.getByRole('button', { name: /create/i }).count()).toBe(0);

    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('tab', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Timeline', 'Health', 'Logs', 'Backups']);
    // no Actions tab, and its URL does not reveal the controls either
    await page.goto(`${api.url}/stores/${id}/actions`);
    await page.getByRole('tab', { name: 'Timeline', selected: true }).waitFor();
    expect(await page.getByRole('button', { name: /retry|restart|reset|delete/i }).count()).toBe(0);
    await page.getByText('Finished: Ready').waitFor({ timeout: READY_MS });
    await screenshot(page, 'viewer-store');
    // the session lives in sessionStorage: a reload keeps it, a new context (tab) does not
    await page.reload();
    await page.getByText('Viewer (read-only)').waitFor();

    const phone = await chrome.context({ width: 390, height: 844 });
    const mobile = await phone.newPage();
    await signIn(mobile, api.url, api.viewerKey);
    await mobile.locator(`tr[data-store="${name}"]`).waitFor();
    // cards, not a table that scrolls sideways
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(mobile, 'stores-mobile');
    await mobile.getByRole('link', { name, exact: true }).click();
    await mobile.getByText('Finished: Ready').waitFor({ timeout: READY_MS });
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(mobile, 'store-mobile');
    await phone.close();

    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('is keyboard reachable: skip link, navigation and the create dialog without a mouse', async () => {
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    await signIn(page, api.url, api.adminKey);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // every control on the stores page has an accessible name
    const unnamed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('button, a[href], input, select')).filter((el) => {
        const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
        return label.trim() === '';
      }).length,
    );
    expect(unnamed).toBe(0);
    await page.getByRole('button', { name: '+ Create store' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create a store' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('+ Create store');
    await ctx.close();
  });
});

// Medusa with a catalogue: new stores get 2.21.1 (any image runs on the simulated cluster), which upgrades to 2.21.2
const MEDUSA_RELEASES = {
  medusa: { current: '2.21.1', releases: [{ version: '2.21.1', images: { medusa: 'store-platform/medusa:2.21.1-r1' } }, { version: '2.21.2', upgradesFrom: ['2.21.1'] }] },
};

describe('dashboard upgrades', () => {
  let fleet: ApiHarness;
  /** The store the Upgrade card moves (plan large, so the rollout's plan selector leaves it out) and the rollout's three. */
  let single: string;
  let rolled: string[];

  beforeAll(async () => {
    fleet = await startApi({ WEB_DIR: join(process.cwd(), 'dist', 'web'), STORE_RELEASES: MEDUSA_RELEASES, CONCURRENCY: 4 });
    const create = async (name: string, plan: string) => {
      const res = await fleet.call('POST', '/api/v1/stores', { body: specFor(name, { engine: 'medusa', plan }) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    [single, ...rolled] = await Promise.all([
      create(fleet.name('upgrade'), 'large'),
      ...[1, 2, 3].map((i) => create(fleet.name(`fleet${i}`), 'standard')),
    ]);
  });
  afterAll(async () => {
    await fleet?.close();
  });

  it('upgrades a store from its Upgrade card behind the confirmation: Upgrading, then Ready on the new release', async () => {
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, fleet.url, fleet.adminKey);
    await page.goto(`${fleet.url}/stores/${single}/timeline`);
    await page.getByText('Finished: Ready').waitFor({ timeout: READY_MS });
    const badge = page.locator('.store-facts [data-status]');
    const facts = page.locator('.store-facts');
    expect(await facts.textContent()).toMatch(/medusa 2\.21\.1 ·/);

    await page.getByRole('tab', { name: 'Actions' }).click();
    const select = page.getByLabel('Upgrade to');
    expect(await select.locator('option').allTextContents()).toEqual(['2.21.2']);
    await select.selectOption('2.21.2');
    await screenshot(page, 'store-upgrade');
    await page.getByRole('button', { name: 'Upgrade…' }).click();
    await page.getByRole('dialog', { name: /^Upgrade .* to 2\.21\.2\?$/ }).getByRole('button', { name: 'Upgrade store' }).click();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 20_000 }).toBe('Upgrading');
    await page.getByText('Upgrading from 2.21.1 to 2.21.2…').waitFor();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: READY_MS }).toBe('Ready');
    expect(await facts.textContent()).toMatch(/medusa 2\.21\.2 ·/);
    expect((await (await fleet.call('GET', `/api/v1/stores/${single}`)).json()) as unknown).toMatchObject({ status: 'Ready', version: '2.21.2', statusReason: null });

    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('starts and watches a rollout: the canary, then the rest, to Succeeded with every store Succeeded', async () => {
    await Promise.all(rolled.map((id) => waitForStatus(fleet.platform.provisioner, id, ['Ready'], READY_MS)));
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, fleet.url, fleet.adminKey);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
    await page.getByRole('heading', { name: 'Rollouts', level: 1 }).waitFor();
    await page.getByText(/No rollouts yet/).waitFor();

    await page.getByRole('button', { name: 'New rollout' }).click();
    const form = page.getByRole('form', { name: 'New rollout' });
    await form.getByLabel('Engine').selectOption({ label: 'Medusa' });
    await form.getByLabel('Target version').selectOption('2.21.2');
    await form.getByLabel('Only stores on').selectOption('2.21.1');
    await form.getByLabel('Plan').selectOption('standard');
    await form.getByLabel('Waves', { exact: true }).fill('1, 100%');
    await screenshot(page, 'rollout-new', { fullPage: true });
    await form.getByRole('button', { name: 'Start rollout' }).click();

    await page.waitForURL(/\/rollouts\/[^/]+$/);
    await page.getByRole('region', { name: 'Wave 2' }).waitFor();
    expect(await page.locator('[data-store-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.storeId).sort())).toEqual([...rolled].sort());
    expect(await page.getByRole('table', { name: 'Wave 1 stores' }).locator('tbody tr').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Wave 2 stores' }).locator('tbody tr').count()).toBe(2);
    const badge = page.locator('.store-facts [data-status]');
    await page.locator('.live-on').waitFor();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: READY_MS }).toBe('Succeeded');
    await page.getByText('Finished: Succeeded').waitFor();
    const statuses = await page.locator('[data-store-id] [data-status]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status));
    expect(statuses).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(await page.getByRole('button', { name: /^(Pause|Resume|Abort)/ }).count()).toBe(0);
    await screenshot(page, 'rollout', { fullPage: true });

    // every store of the rollout on the new release, and its row links to the store
    for (const id of rolled) expect(await (await fleet.call('GET', `/api/v1/stores/${id}`)).json()).toMatchObject({ status: 'Ready', version: '2.21.2' });
    await page.locator('[data-store-id] a').first().click();
    await page.getByRole('tab', { name: 'Timeline' }).waitFor();

    await page.goto(`${fleet.url}/rollouts`);
    const row = page.getByRole('table', { name: 'Rollouts' }).locator('tbody tr').first();
    await row.waitFor();
    expect(await row.locator('td').evaluateAll((tds) => tds.slice(0, 5).map((td) => td.textContent))).toEqual(['2.21.2', 'medusa', '● Succeeded', '2 of 2', '3 Succeeded']);

    expect(errors).toEqual([]);
    await ctx.close();
  });
});

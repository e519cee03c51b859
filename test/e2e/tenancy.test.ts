import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { launchChromium, screenshot, signIn, type BrowserSession } from './browser.js';

// The dashboard as an owner (only its stores, its usage against its limits, no owners page) and as a
// platform admin (every owner, the owner switch, owners and keys), in headless Chromium.

let api: ApiHarness;
let chrome: BrowserSession;
let acme: { key: string; store: { id: string; name: string } };
let globex: { key: string; store: { id: string; name: string } };

async function ok<T>(res: Promise<Response>): Promise<T> {
  const r = await res;
  const body = await r.text();
  expect(r.status, body).toBeLessThan(300);
  return JSON.parse(body) as T;
}

async function tenant(id: string, limits: Record<string, number>) {
  await ok(api.call('POST', '/api/v1/owners', { body: { id, name: `${id[0]!.toUpperCase()}${id.slice(1)} Ltd`, ...limits } }));
  const { key } = await ok<{ key: string }>(api.call('POST', '/api/v1/keys', { body: { name: `${id} owner`, role: 'owner' }, headers: { 'x-owner': id } }));
  const name = api.name(`web-${id}`);
  const store = await ok<{ id: string }>(api.call('POST', '/api/v1/stores', { key, body: specFor(name) }));
  return { key, store: { id: store.id, name } };
}

beforeAll(async () => {
  [api, chrome] = await Promise.all([startApi({ WEB_DIR: join(process.cwd(), 'dist', 'web'), RATE_LIMIT_CREATE_PER_MINUTE: 100 }), launchChromium()]);
  acme = await tenant('acme', { maxStores: 2, maxCpuMillis: 4000 });
  globex = await tenant('globex', {});
});
afterAll(async () => {
  await chrome?.close();
  await api?.close();
});

/** Page errors and failed API calls other than the ones a test expects. */
function watchErrors(page: Page, expected: (status: number, path: string) => boolean = () => false): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && !expected(r.status(), path)) errors.push(`${r.status()} ${r.request().method()} ${path}`);
  });
  return errors;
}

const rows = (page: Page) => page.locator('tr[data-store]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.store));

describe('dashboard with owners', () => {
  it('shows an owner only its stores and its usage against its limits, and nothing of another owner', async () => {
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page, (status, path) => status === 404 && path.includes(globex.store.id));
    await signIn(page, api.url, acme.key);
    await page.getByText('Owner', { exact: true }).waitFor();
    await page.locator(`tr[data-store="${acme.store.name}"]`).waitFor();
    await page.locator('.live-on').waitFor();
    expect(await rows(page)).toEqual([acme.store.name]);

    const usage = page.getByRole('region', { name: 'Usage of Acme Ltd' });
    await usage.waitFor();
    expect(await usage.getByRole('meter', { name: 'Live stores used' }).getAttribute('aria-valuetext')).toBe('1 of 2 (50%)');
    expect(await usage.getByRole('meter', { name: 'CPU used' }).getAttribute('aria-valuetext')).toBe('1000m of 4000m (25%)');
    await usage.getByText('1536Mi (no limit)').waitFor();
    await screenshot(page, 'owner-stores');

    // an owner may create; there is no owner switch and no owners page
    expect(await page.getByRole('button', { name: '+ Create store' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Owners' }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: 'Act for owner' }).count()).toBe(0);

    // another owner's store, by its URL: the same "does not exist" as no store at all
    await page.goto(`${api.url}/stores/${globex.store.id}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/does not exist/);
    expect(await page.getByText(globex.store.name).count()).toBe(0);

    await page.goto(`${api.url}/audit`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.locator('.audit-table tbody tr').first().waitFor();
    const targets = await page.locator('.audit-table tbody tr td:nth-child(4)').allTextContents();
    expect(targets).toContain(acme.store.id);
    expect(targets).not.toContain(globex.store.id);

    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('lets an admin switch owner, manage owners and hand out a key shown once', async () => {
    const ctx = await chrome.context();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, api.url, api.adminKey);
    await page.getByText('Admin', { exact: true }).waitFor();
    await page.locator(`tr[data-store="${globex.store.name}"]`).waitFor();
    expect(await rows(page)).toEqual(expect.arrayContaining([acme.store.name, globex.store.name]));

    // act for acme: the list, the stream and the usage are acme's
    await page.getByRole('combobox', { name: 'Act for owner' }).selectOption('acme');
    await page.getByRole('region', { name: 'Usage of Acme Ltd' }).waitFor();
    await page.locator('.live-on').waitFor();
    await expect.poll(() => rows(page)).toEqual([acme.store.name]);
    await screenshot(page, 'admin-acting-for-owner');
    await page.getByRole('combobox', { name: 'Act for owner' }).selectOption('');
    await page.locator(`tr[data-store="${globex.store.name}"]`).waitFor();

    await page.getByRole('link', { name: 'Owners' }).click();
    await page.getByRole('heading', { name: 'Owners and keys' }).waitFor();
    const owners = page.getByRole('table', { name: 'Owners' });
    await owners.getByText('acme', { exact: true }).waitFor();
    expect(await owners.locator('tbody tr').count()).toBe(3); // default, acme, globex

    const form = page.getByRole('form', { name: 'New owner' });
    await form.getByLabel('Id').fill('initech');
    await form.getByLabel('Name').fill('Initech');
    await form.getByLabel('Max live stores').fill('1');
    await form.getByRole('button', { name: 'Create owner' }).click();
    await owners.getByText('initech', { exact: true }).waitFor();

    const keyForm = page.getByRole('form', { name: 'New API key' });
    await keyForm.getByLabel('Key name').fill('initech reader');
    await keyForm.getByLabel('Owner').selectOption('initech');
    await keyForm.getByLabel('Role').selectOption('viewer');
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    const shown = keyForm.getByRole('textbox', { name: 'The new API key' });
    await shown.waitFor();
    const key = await shown.inputValue();
    expect(key).toMatch(/^sp_/);
    await page.getByRole('table', { name: 'Keys' }).getByText('initech reader').waitFor();
    expect(await page.getByRole('table', { name: 'Keys' }).getByText(key).count()).toBe(0);
    await screenshot(page, 'owners-and-keys', { fullPage: true });
    expect(errors).toEqual([]);

    // the new key signs in as initech's viewer: no stores, and nothing of acme or globex
    const other = await chrome.context();
    const viewer = await other.newPage();
    await signIn(viewer, api.url, key);
    await viewer.getByText('Viewer (read-only)').waitFor();
    await viewer.getByRole('heading', { name: 'No stores yet' }).waitFor();
    await viewer.getByRole('region', { name: 'Usage of Initech' }).waitFor();
    await other.close();
    await ctx.close();
  });
});

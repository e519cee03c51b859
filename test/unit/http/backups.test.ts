import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditRepo } from '../../../src/db/repos/audit-repo.js';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';

// The backup routes' authorization, scoping and refusals at the HTTP layer (app.inject on the fake engine).
// The engine's own refusals and the Jobs are in test/integration/api-backups.test.ts.
let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const as = (key: string, req: InjectOptions, owner?: string) =>
  t.app.inject({ ...req, headers: { ...bearer(key), ...(owner !== undefined ? { 'x-owner': owner } : {}), ...req.headers } });

async function ownerKeys(id: string) {
  await as(t.adminKey, { method: 'POST', url: '/api/v1/owners', payload: { id, name: id } });
  const key = async (role: string) => ((await as(t.adminKey, { method: 'POST', url: '/api/v1/keys', payload: { name: `${id} ${role}`, role } }, id)).json() as { key: string }).key;
  return { owner: await key('owner'), viewer: await key('viewer') };
}

async function storeOf(key: string, name: string): Promise<string> {
  const res = await as(key, { method: 'POST', url: '/api/v1/stores', payload: validStore({ name }) });
  expect(res.statusCode, res.body).toBe(202);
  return (res.json() as { id: string }).id;
}

describe('backup routes', () => {
  it('fails with BACKUPS_NOT_CONFIGURED (409 problem) while no target is configured', async () => {
    t = await makeApp();
    const id = await storeOf(t.adminKey, 'shop-a');
    for (const req of [
      { method: 'POST' as const, url: `/api/v1/stores/${id}/backups` },
      { method: 'POST' as const, url: `/api/v1/stores/${id}/restore`, payload: { backupId: 'abc' } },
    ]) {
      const res = await as(t.adminKey, req);
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'BACKUPS_NOT_CONFIGURED', type: 'https://store-platform.dev/problems/backups-not-configured' });
    }
    // reading works without a target (a store keeps its old backups listed)
    expect((await as(t.adminKey, { method: 'GET', url: `/api/v1/stores/${id}/backups` })).json()).toEqual({ items: [] });
  });

  it('lets owners back up their own stores, viewers only see, and other owners get 404', async () => {
    t = await makeApp();
    t.provisioner.backupsEnabled = true;
    const acme = await ownerKeys('acme');
    const other = await ownerKeys('other');
    const id = await storeOf(acme.owner, 'acme-shop');

    const denied = await as(acme.viewer, { method: 'POST', url: `/api/v1/stores/${id}/backups` });
    expect(denied.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const hidden = await as(other.owner, { method: 'POST', url: `/api/v1/stores/${id}/backups` });
    expect(hidden.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await as(other.viewer, { method: 'GET', url: `/api/v1/stores/${id}/backups` })).statusCode).toBe(404);

    const made = await as(acme.owner, { method: 'POST', url: `/api/v1/stores/${id}/backups` });
    expect(made.statusCode, made.body).toBe(202);
    const backup = made.json() as { id: string; kind: string; status: string };
    expect(backup).toMatchObject({ kind: 'on-demand', status: 'Pending', storeId: id });
    expect(made.headers.location).toBe(`/api/v1/stores/${id}/backups/${backup.id}`);

    const list = await as(acme.viewer, { method: 'GET', url: `/api/v1/stores/${id}/backups` });
    expect((list.json() as { items: { id: string }[] }).items.map((b) => b.id)).toEqual([backup.id]);
    expect((await as(acme.viewer, { method: 'GET', url: `/api/v1/stores/${id}/backups/${backup.id}` })).json()).toMatchObject({ id: backup.id });
    expect((await as(acme.viewer, { method: 'GET', url: `/api/v1/stores/${id}/backups/nope` })).json()).toMatchObject({ status: 404, code: 'BACKUP_NOT_FOUND' });

    // a backup of a store the caller cannot see is not found, whichever store it is restored into
    const theirs = await storeOf(other.owner, 'other-shop');
    const restoreOther = await as(other.owner, { method: 'POST', url: `/api/v1/stores/${theirs}/restore`, payload: { backupId: backup.id } });
    expect(restoreOther.json()).toMatchObject({ status: 404, code: 'BACKUP_NOT_FOUND' });
    expect((await as(acme.viewer, { method: 'POST', url: `/api/v1/stores/${id}/restore`, payload: { backupId: backup.id } })).json())
      .toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await as(acme.owner, { method: 'POST', url: `/api/v1/stores/${id}/restore`, payload: { backupId: 'Bad Id' } })).json())
      .toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await as(acme.owner, { method: 'POST', url: `/api/v1/stores/${id}/restore`, payload: { backupId: backup.id, extra: 1 } })).statusCode).toBe(400);

    const audit = new AuditRepo(t.db).list({ limit: 50 }).items.filter((a) => a.action === 'store.backup' || a.action === 'store.restore');
    expect(audit.map((a) => `${a.action} ${a.outcome}`).sort()).toEqual([
      'store.backup denied', 'store.backup failure', 'store.backup success', 'store.restore denied', 'store.restore failure', 'store.restore failure', 'store.restore failure',
    ].sort());
  });

  it('makes a new store from a backup the caller can see: the backed-up store\'s engine, plan, email and currency unless given', async () => {
    t = await makeApp();
    const acme = await ownerKeys('acme');
    const other = await ownerKeys('other');
    const id = await storeOf(acme.owner, 'acme-shop');
    const source = t.provisioner.stores.get(id);
    const url = (backupId: string) => `/api/v1/backups/${backupId}/restore`;
    expect((await as(acme.owner, { method: 'POST', url: url('b-1'), payload: { name: 'acme-copy' } })).json())
      .toMatchObject({ status: 409, code: 'BACKUPS_NOT_CONFIGURED' });
    t.provisioner.backupsEnabled = true;
    const backup = await t.provisioner.backup(id, { actor: 'k' });

    expect((await as(acme.owner, { method: 'POST', url: url('no-such'), payload: { name: 'acme-copy' } })).json()).toMatchObject({ status: 404, code: 'BACKUP_NOT_FOUND' });
    expect((await as(other.owner, { method: 'POST', url: url(backup.id), payload: { name: 'acme-copy' } })).json()).toMatchObject({ status: 404, code: 'BACKUP_NOT_FOUND' });
    expect((await as(acme.viewer, { method: 'POST', url: url(backup.id), payload: { name: 'acme-copy' } })).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await as(acme.owner, { method: 'POST', url: url(backup.id), payload: { name: 'platform' } })).json()).toMatchObject({ status: 422, code: 'STORE_NAME_RESERVED' });
    expect((await as(acme.owner, { method: 'POST', url: url(backup.id), payload: { name: 'acme-copy', engine: 'medusa' } })).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await as(acme.owner, { method: 'POST', url: url(backup.id), payload: {} })).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await as(acme.owner, { method: 'POST', url: url(backup.id), payload: { name: 'acme-shop' } })).json()).toMatchObject({ status: 409, code: 'STORE_NAME_TAKEN' });

    const made = await as(acme.owner, { method: 'POST', url: url(backup.id), payload: { name: 'acme-copy', currency: 'EUR' } });
    expect(made.statusCode, made.body).toBe(202);
    const copy = made.json() as { id: string; ownerId: string; name: string; title: string; engine: string; plan: string; adminEmail: string; currency: string };
    expect(made.headers.location).toBe(`/api/v1/stores/${copy.id}`);
    expect(copy).toMatchObject({ ownerId: 'acme', name: 'acme-copy', title: 'Acme Copy', engine: source.engine, plan: source.plan, adminEmail: source.adminEmail, currency: 'EUR' });
    expect(t.provisioner.calls).toContain(`createFromBackup ${backup.id} acme-copy ${source.engine} ${source.plan}`);
    const audit = new AuditRepo(t.db).list({ limit: 50 }).items.filter((a) => a.action === 'backup.restore-new-store');
    expect(audit.map((a) => a.outcome).sort()).toEqual(['denied', 'failure', 'failure', 'failure', 'failure', 'failure', 'failure', 'failure', 'success'].sort());
    expect(audit.find((a) => a.outcome === 'success')).toMatchObject({ target: copy.id, ownerId: 'acme' });
  });

  it('lets only admins delete without the final backup', async () => {
    t = await makeApp();
    const acme = await ownerKeys('acme');
    const id = await storeOf(acme.owner, 'acme-shop');
    const refused = await as(acme.owner, { method: 'DELETE', url: `/api/v1/stores/${id}?skipFinalBackup=true` });
    expect(refused.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(t.provisioner.calls).not.toContain(`delete ${id} skipFinalBackup`);
    expect((await as(t.adminKey, { method: 'DELETE', url: `/api/v1/stores/${id}?skipFinalBackup=true` })).statusCode).toBe(202);
    expect(t.provisioner.calls).toContain(`delete ${id} skipFinalBackup`);
    expect((await as(t.adminKey, { method: 'DELETE', url: `/api/v1/stores/${id}?skipFinalBackup=maybe` })).statusCode).toBe(400);
  });
});

describe('backup metrics', () => {
  it('counts finished backups by outcome, failures by step, and each store\'s last success', async () => {
    t = await makeApp();
    t.provisioner.backupsEnabled = true;
    const id = await storeOf(t.adminKey, 'metric-shop');
    const b = await t.provisioner.backup(id, { actor: 'k' });
    const ok = t.provisioner.backups.update(b.id, { status: 'Succeeded', durationMs: 12_000, sizeBytes: 5_000_000, finishedAt: new Date(1_700_000_000_000) });
    t.provisioner.bus.emit('backup', ok);
    const failed = t.provisioner.backups.insertUnlessBusy({ id: 'b-failed', storeId: id, slug: 'metric-shop', engine: 'woocommerce', kind: 'final', status: 'Failed', createdBy: 'k', createdAt: new Date() })!;
    t.provisioner.bus.emit('backup', t.provisioner.backups.update(failed.id, { durationMs: 2_000, errorStep: 'backup' }));
    // a backup's timeline rows are not provisioning steps
    t.provisioner.step(id, 'backup', 'failed', 100);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/store_platform_backup_duration_seconds_count\{engine="woocommerce",kind="on-demand",outcome="succeeded"\} 1/);
    expect(text).toMatch(/store_platform_backup_duration_seconds_count\{engine="woocommerce",kind="final",outcome="failed"\} 1/);
    expect(text).toMatch(/store_platform_backup_size_bytes_sum\{engine="woocommerce"\} 5000000/);
    expect(text).toMatch(/store_platform_backup_failures_total\{kind="final",step="backup"\} 1/);
    expect(text).toMatch(/store_platform_backup_last_success_timestamp_seconds\{store="metric-shop"\} 1700000000/);
    expect(text).not.toMatch(/store_platform_provisioning_failures_total\{step="backup"\}/);
  });
});

import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditRepo } from '../../../src/db/repos/audit-repo.js';
import { bearer, createReadyStore, makeApp, validStore, type TestApp } from './helpers.js';

// POST /stores/:id/actions/upgrade on the fake engine (releases 1.0 and 2.0, 2.0 reachable from 1.0),
// whose moves ask the real status machine: who may upgrade, the refusals and the audit log. The upgrade
// itself runs on the simulated cluster (test/integration/engine-upgrade.test.ts) and the real node
// (test/real/upgrade.test.ts).
let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const as = (key: string, req: InjectOptions, owner?: string) =>
  t.app.inject({ ...req, headers: { ...bearer(key), ...(owner !== undefined ? { 'x-owner': owner } : {}), ...req.headers } });

const upgrade = (key: string, id: string, body: unknown) => as(key, { method: 'POST', url: `/api/v1/stores/${id}/actions/upgrade`, payload: body as object });

const readyStore = (key = t.adminKey, name = 'acme-shop') => createReadyStore(t, key, name);

describe('upgrade', () => {
  it('moves a Ready store to Upgrading with 202, shows both versions, audits it, and answers a repeat as it is', async () => {
    t = await makeApp();
    const id = await readyStore();
    expect((await as(t.adminKey, { url: `/api/v1/stores/${id}` })).json()).toMatchObject({ version: '1.0', upgradeFrom: null });
    const res = await upgrade(t.adminKey, id, { version: '2.0' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ id, status: 'Upgrading', version: '2.0', upgradeFrom: '1.0' });
    expect((await upgrade(t.adminKey, id, { version: '2.0' })).json()).toMatchObject({ status: 'Upgrading', version: '2.0' });
    expect(t.provisioner.calls.filter((c) => c.startsWith('upgrade'))).toEqual([`upgrade ${id} 2.0`, `upgrade ${id} 2.0`]);
    expect(new AuditRepo(t.db).list({ limit: 1 }).items[0]).toMatchObject({ action: 'store.upgrade', outcome: 'success', target: id });
  });

  it("refuses with 409 problem+json: a version with no path from the store's release, and a store that is not Ready", async () => {
    t = await makeApp();
    const id = await readyStore();
    const unknown = await upgrade(t.adminKey, id, { version: '3.0' });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({ code: 'VERSION_NOT_ALLOWED', detail: 'woocommerce 3.0 cannot be reached from 1.0' });
    t.provisioner.setStatus(id, 'Suspending');
    t.provisioner.setStatus(id, 'Suspended');
    expect((await upgrade(t.adminKey, id, { version: '2.0' })).json()).toMatchObject({
      status: 409, code: 'ILLEGAL_TRANSITION', detail: 'only a Ready store can be upgraded (status is Suspended)',
    });
    expect(t.provisioner.stores.get(id).status).toBe('Suspended');
  });

  it('refuses a body without a version, or with unknown fields, with 400', async () => {
    t = await makeApp();
    const id = await readyStore();
    expect((await upgrade(t.adminKey, id, {})).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await upgrade(t.adminKey, id, { version: '2.0', force: true })).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(t.provisioner.calls.filter((c) => c.startsWith('upgrade'))).toEqual([]);
  });

  it('lets an owner upgrade its own store but not skip the backup; a viewer may not upgrade at all', async () => {
    t = await makeApp();
    expect((await as(t.adminKey, { method: 'POST', url: '/api/v1/owners', payload: { id: 'acme', name: 'acme' } })).statusCode).toBe(201);
    const key = async (role: string) => (await as(t.adminKey, { method: 'POST', url: '/api/v1/keys', payload: { name: `acme ${role}`, role } }, 'acme')).json().key as string;
    const owner = await key('owner');
    const viewer = await key('viewer');
    const id = await readyStore(owner);
    expect((await upgrade(viewer, id, { version: '2.0' })).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const skip = await upgrade(owner, id, { version: '2.0', skipBackup: true });
    expect(skip.json()).toMatchObject({ status: 403, code: 'FORBIDDEN', detail: 'only platform admin keys may upgrade a store without a pre-upgrade backup (skipBackup)' });
    expect(t.provisioner.calls.filter((c) => c.startsWith('upgrade'))).toEqual([]);
    expect((await upgrade(owner, id, { version: '2.0' })).json().status).toBe('Upgrading');
    const admin = await readyStore(t.adminKey, 'admin-shop');
    expect((await upgrade(t.adminKey, admin, { version: '2.0', skipBackup: true })).statusCode).toBe(202);
    expect(t.provisioner.calls).toContain(`upgrade ${admin} 2.0 skipBackup`);
  });

  it('is documented with its body and its 202, 403 and 409 answers', async () => {
    t = await makeApp();
    const op = (await t.app.inject({ url: '/openapi.json' })).json().paths['/api/v1/stores/{id}/actions/upgrade'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['202', '400', '403', '404', '409']));
    expect(op.requestBody.content['application/json'].schema.$ref ?? op.requestBody.content['application/json'].schema).toBeTruthy();
  });
});

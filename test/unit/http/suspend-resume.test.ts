import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditRepo } from '../../../src/db/repos/audit-repo.js';
import { bearer, createReadyStore, makeApp, validStore, type TestApp } from './helpers.js';

// POST /stores/:id/actions/suspend and /resume on the fake engine, whose moves ask the real status
// machine: who may act, the 409s, and the audit log. The engine's side runs on the simulated cluster
// (test/integration/engine-suspend.test.ts) and the real node (test/real/suspend-resume.test.ts).
let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const as = (key: string, req: InjectOptions, owner?: string) =>
  t.app.inject({ ...req, headers: { ...bearer(key), ...(owner !== undefined ? { 'x-owner': owner } : {}), ...req.headers } });

const action = (key: string, id: string, what: 'suspend' | 'resume') => as(key, { method: 'POST', url: `/api/v1/stores/${id}/actions/${what}` });

const readyStore = (key = t.adminKey, name = 'acme-shop') => createReadyStore(t, key, name);

async function ownerKeys(id: string) {
  expect((await as(t.adminKey, { method: 'POST', url: '/api/v1/owners', payload: { id, name: id } })).statusCode).toBe(201);
  const key = async (role: string) => (await as(t.adminKey, { method: 'POST', url: '/api/v1/keys', payload: { name: `${id} ${role}`, role } }, id)).json().key as string;
  return { owner: await key('owner'), viewer: await key('viewer') };
}

describe('suspend and resume', () => {
  it('suspends a Ready store and resumes a Suspended one with 202, each audited', async () => {
    t = await makeApp();
    const id = await readyStore();
    const suspended = await action(t.adminKey, id, 'suspend');
    expect(suspended.statusCode).toBe(202);
    expect(suspended.json()).toMatchObject({ id, status: 'Suspending' });
    t.provisioner.setStatus(id, 'Suspended');
    const resumed = await action(t.adminKey, id, 'resume');
    expect(resumed.statusCode).toBe(202);
    expect(resumed.json()).toMatchObject({ id, status: 'Resuming' });
    const audit = new AuditRepo(t.db).list({ limit: 2 }).items.map((a) => `${a.action}:${a.outcome}:${a.target}`);
    expect(audit).toEqual([`store.resume:success:${id}`, `store.suspend:success:${id}`]);
  });

  it('answers a repeat while the engine is on it with the store as it is', async () => {
    t = await makeApp();
    const id = await readyStore();
    await action(t.adminKey, id, 'suspend');
    const again = await action(t.adminKey, id, 'suspend');
    expect(again.statusCode).toBe(202);
    expect(again.json().status).toBe('Suspending');
    t.provisioner.setStatus(id, 'Suspended');
    expect((await action(t.adminKey, id, 'suspend')).json().status).toBe('Suspended');
    await action(t.adminKey, id, 'resume');
    expect((await action(t.adminKey, id, 'resume')).json().status).toBe('Resuming');
  });

  it('fails with 409 ILLEGAL_TRANSITION problem+json for a store that cannot make the move', async () => {
    t = await makeApp();
    const created = (await as(t.adminKey, { method: 'POST', url: '/api/v1/stores', payload: validStore() })).json();
    const pending = await action(t.adminKey, created.id, 'suspend');
    expect(pending.statusCode).toBe(409);
    expect(pending.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(pending.json()).toMatchObject({
      status: 409, code: 'ILLEGAL_TRANSITION', type: 'https://store-platform.dev/problems/illegal-transition',
      detail: 'only a Ready store can be suspended (status is Pending)',
    });
    t.provisioner.setStatus(created.id, 'Provisioning');
    t.provisioner.setStatus(created.id, 'Ready');
    expect((await action(t.adminKey, created.id, 'resume')).json()).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', detail: 'only a Suspended store can be resumed (status is Ready)' });
    await action(t.adminKey, created.id, 'suspend');
    expect((await action(t.adminKey, created.id, 'resume')).json()).toMatchObject({ code: 'ILLEGAL_TRANSITION', detail: 'only a Suspended store can be resumed (status is Suspending)' });
    for (const status of ['Failed', 'Deleting'] as const) {
      t.provisioner.setStatus(created.id, status);
      expect((await action(t.adminKey, created.id, 'suspend')).statusCode).toBe(409);
      expect((await action(t.adminKey, created.id, 'resume')).statusCode).toBe(409);
    }
    const audit = new AuditRepo(t.db).list({ limit: 1 }).items[0]!;
    expect(audit).toMatchObject({ action: 'store.resume', outcome: 'failure', target: created.id });
  });

  it('fails with 403 for a viewer key and audits the denial; the engine is never asked', async () => {
    t = await makeApp();
    const id = await readyStore();
    for (const what of ['suspend', 'resume'] as const) {
      const res = await action(t.viewerKey, id, what);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    expect(t.provisioner.calls.filter((c) => c.startsWith('suspend') || c.startsWith('resume'))).toEqual([]);
    expect(new AuditRepo(t.db).list({ limit: 1 }).items[0]).toMatchObject({ action: 'store.resume', outcome: 'denied' });
    expect(t.provisioner.stores.get(id).status).toBe('Ready');
  });

  it('lets an owner suspend and resume its own store, and answers 404 for another owner\'s', async () => {
    t = await makeApp();
    const acme = await ownerKeys('acme');
    const globex = await ownerKeys('globex');
    const id = await readyStore(acme.owner, 'acme-shop');
    const foreign = await action(globex.owner, id, 'suspend');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('NOT_FOUND');
    expect((await action(globex.viewer, id, 'suspend')).statusCode).toBe(403);
    expect((await action(acme.owner, id, 'suspend')).json().status).toBe('Suspending');
    t.provisioner.setStatus(id, 'Suspended');
    expect((await action(globex.owner, id, 'resume')).statusCode).toBe(404);
    expect((await action(acme.owner, id, 'resume')).json().status).toBe('Resuming');
    expect(new AuditRepo(t.db).list({ limit: 1 }).items[0]).toMatchObject({ action: 'store.resume', outcome: 'success', ownerId: 'acme' });
  });

  it('fails with 404 for an unknown store', async () => {
    t = await makeApp();
    expect((await action(t.adminKey, 'nope', 'suspend')).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('counts a Suspended store against MAX_STORES and the owner\'s store limit', async () => {
    t = await makeApp({ MAX_STORES: 1 });
    const id = await readyStore();
    await action(t.adminKey, id, 'suspend');
    t.provisioner.setStatus(id, 'Suspended');
    const refused = await as(t.adminKey, { method: 'POST', url: '/api/v1/stores', payload: validStore({ name: 'second-shop' }) });
    expect(refused.json()).toMatchObject({ status: 403, code: 'STORE_LIMIT_REACHED' });
    expect((await as(t.adminKey, { url: '/api/v1/owners/default' })).json().usage.stores).toBe(1);
  });

  it('documents both actions with their 202 and 409 answers', async () => {
    t = await makeApp();
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    for (const what of ['suspend', 'resume']) {
      const op = doc.paths[`/api/v1/stores/{id}/actions/${what}`].post;
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['202', '403', '404', '409']));
    }
  });
});

describe('soft delete and undelete', () => {
  const undelete = (key: string, id: string) => as(key, { method: 'POST', url: `/api/v1/stores/${id}/actions/undelete` });

  it('shows a soft-deleted store\'s purge time, and undeletes it with 202, audited', async () => {
    t = await makeApp();
    const id = await readyStore();
    const deleted = await as(t.adminKey, { method: 'DELETE', url: `/api/v1/stores/${id}` });
    expect(deleted.statusCode).toBe(202);
    const purgeAt = Date.parse(deleted.json().purgeAt as string);
    expect(purgeAt).toBeGreaterThan(Date.now());
    expect((await as(t.adminKey, { url: `/api/v1/stores/${id}` })).json()).toMatchObject({ status: 'Deleting', purgeAt: deleted.json().purgeAt });
    const back = await undelete(t.adminKey, id);
    expect(back.statusCode, back.body).toBe(202);
    expect(back.json()).toMatchObject({ id, status: 'Resuming', purgeAt: null });
    expect(new AuditRepo(t.db).list({ limit: 1 }).items[0]).toMatchObject({ action: 'store.undelete', outcome: 'success', target: id });
  });

  it('fails an undelete with 409 problem+json naming why: not deleted, or deleted without a window', async () => {
    t = await makeApp();
    const id = await readyStore();
    expect((await undelete(t.adminKey, id)).json()).toMatchObject({
      status: 409, code: 'ILLEGAL_TRANSITION', detail: 'only a deleted store can be undeleted (status is Ready)',
    });
    await as(t.adminKey, { method: 'DELETE', url: `/api/v1/stores/${id}?purge=now` });
    expect(t.provisioner.calls).toContain(`delete ${id} purgeNow`);
    const refused = await undelete(t.adminKey, id);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', detail: 'the store was deleted without an undelete window; it is being purged' });
    expect((await as(t.adminKey, { method: 'DELETE', url: `/api/v1/stores/${id}?purge=later` })).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('lets an owner undelete its own store but purge now only for admins; a viewer may do neither', async () => {
    t = await makeApp();
    const acme = await ownerKeys('acme');
    const globex = await ownerKeys('globex');
    const id = await readyStore(acme.owner, 'acme-shop');
    expect((await as(acme.owner, { method: 'DELETE', url: `/api/v1/stores/${id}?purge=now` })).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(t.provisioner.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    expect((await as(acme.owner, { method: 'DELETE', url: `/api/v1/stores/${id}` })).json().status).toBe('Deleting');
    expect((await undelete(acme.viewer, id)).statusCode).toBe(403);
    expect((await undelete(globex.owner, id)).statusCode).toBe(404);
    expect((await undelete(acme.owner, id)).json().status).toBe('Resuming');
    expect(t.provisioner.calls.filter((c) => c.startsWith('undelete'))).toEqual([`undelete ${id}`]);
  });

  it('documents the undelete action and the purge query', async () => {
    t = await makeApp();
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/stores/{id}/actions/undelete'].post.responses)).toEqual(expect.arrayContaining(['202', '403', '404', '409']));
    expect(doc.paths['/api/v1/stores/{id}'].delete.parameters.map((q: { name: string }) => q.name)).toContain('purge');
  });
});

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb } from '../../../src/db/client.js';
import { AuditRepo } from '../../../src/db/repos/audit-repo.js';
import { IdempotencyRepo } from '../../../src/db/repos/idempotency-repo.js';
import { StoresRepo } from '../../../src/db/repos/stores-repo.js';
import { canonicalJson } from '../../../src/http/plugins/idempotency.js';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const create = (t: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: { ...bearer(t.adminKey), ...headers }, payload: body as object });

describe('authentication and roles', () => {
  it('fails with 401 problem+json without a key', async () => {
    t = await makeApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/stores' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ type: 'https://store-platform.dev/problems/unauthorized', status: 401, code: 'UNAUTHORIZED', instance: '/api/v1/stores' });
    expect(body.title).toBeTypeOf('string');
  });

  it('fails with 401 for a wrong key of the right shape', async () => {
    t = await makeApp();
    const forged = t.adminKey.slice(0, -4) + 'AAAA';
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/stores', headers: bearer(forged) });
    expect(res.statusCode).toBe(401);
  });

  it('lets a viewer read but fails with 403 when it mutates, and audits the denial', async () => {
    t = await makeApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/stores', headers: bearer(t.viewerKey) })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.viewerKey), payload: validStore() });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect(t.provisioner.calls).toEqual([]);
    const audit = new AuditRepo(t.db).list({ limit: 10 }).items;
    expect(audit[0]).toMatchObject({ action: 'store.create', outcome: 'denied' });
  });

  it('tells each key its own id and role at GET /api/v1/me, and nothing without a key', async () => {
    t = await makeApp();
    const admin = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.adminKey) });
    expect(admin.json()).toMatchObject({ keyId: t.adminKeyId, role: 'admin' });
    const viewer = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.viewerKey) });
    expect(viewer.json()).toMatchObject({ role: 'viewer' });
    expect(viewer.json().keyId).not.toBe(t.adminKeyId);
    expect(JSON.stringify(viewer.json())).not.toContain(t.viewerKey);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('fails with 403 when a viewer reads credentials', async () => {
    t = await makeApp();
    const store = (await create(t, validStore())).json();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${store.id}/credentials`, headers: bearer(t.viewerKey) });
    expect(res.statusCode).toBe(403);
  });
});

describe('POST /api/v1/stores', () => {
  it('accepts a valid spec with 202, a Location header and the Pending store', async () => {
    t = await makeApp();
    const res = await create(t, validStore());
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(res.headers.location).toBe(`/api/v1/stores/${body.id}`);
    expect(body).toMatchObject({ name: 'acme-shop', status: 'Pending', namespace: 'store-acme-shop', createdBy: t.adminKeyId });
    const audit = new AuditRepo(t.db).list({ limit: 10 }).items;
    expect(audit[0]).toMatchObject({ actor: t.adminKeyId, action: 'store.create', target: body.id, outcome: 'success' });
  });

  it('fails with 400 listing each invalid field', async () => {
    t = await makeApp();
    const res = await create(t, validStore({ name: 'Bad_Name', adminEmail: 'nope' }));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/adminEmail', '/name']);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('fails with 400 on unknown fields, naming them', async () => {
    t = await makeApp();
    const res = await create(t, validStore({ replicas: 3 }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ in: 'body', path: '/replicas', message: 'unknown field' }]);
  });

  it('fails with 400 on an unknown engine, and accepts both registered engines', async () => {
    t = await makeApp();
    expect((await create(t, validStore({ engine: 'shopify' }))).statusCode).toBe(400);
    expect((await create(t, validStore({ name: 'medusa-shop', engine: 'medusa' }))).statusCode).toBe(202);
  });

  it('fails with 409 when the name is taken by a live store', async () => {
    t = await makeApp();
    expect((await create(t, validStore())).statusCode).toBe(202);
    const res = await create(t, validStore());
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'STORE_NAME_TAKEN', type: 'https://store-platform.dev/problems/store-name-taken' });
  });

  it('fails with 413 when the body is over the limit', async () => {
    t = await makeApp({ BODY_LIMIT_BYTES: 1024 });
    const res = await create(t, validStore({ title: 'x'.repeat(2000) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('BODY_TOO_LARGE');
  });

  it('fails with 400 on malformed JSON', async () => {
    t = await makeApp();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: { ...bearer(t.adminKey), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('replays the first response for the same Idempotency-Key and body, without a second store', async () => {
    t = await makeApp();
    const first = await create(t, validStore(), { 'idempotency-key': 'abc-123' });
    const second = await create(t, validStore(), { 'idempotency-key': 'abc-123' });
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(t.provisioner.calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
  });

  it('shows per-step conditions derived from the timeline and a Ready summary on the store view', async () => {
    t = await makeApp();
    const s = (await create(t, validStore())).json();
    expect(s.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'Unknown', reason: 'Pending' })]);
    t.provisioner.setStatus(s.id, 'Provisioning');
    t.provisioner.step(s.id, 'namespace', 'started');
    t.provisioner.step(s.id, 'namespace', 'succeeded', 12);
    t.provisioner.step(s.id, 'mysql', 'started');
    const got = (await t.app.inject({ url: `/api/v1/stores/${s.id}`, headers: bearer(t.viewerKey) })).json();
    expect(got.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual(['Namespace=True', 'Mysql=Unknown', 'Ready=Unknown']);
    t.provisioner.step(s.id, 'mysql', 'failed');
    t.provisioner.setStatus(s.id, 'Failed', { failedStep: 'mysql', statusReason: 'MySQL database: boom' });
    const listed = (await t.app.inject({ url: '/api/v1/stores', headers: bearer(t.viewerKey) })).json();
    expect(listed.items[0].conditions.at(-1)).toMatchObject({ type: 'Ready', status: 'False', reason: 'StepFailed', message: 'MySQL database: boom' });
  });

  it('audits an idempotent replay of a create as a replay, not as a second success', async () => {
    t = await makeApp();
    const first = (await create(t, validStore(), { 'idempotency-key': 'audit-1' })).json();
    const again = await create(t, validStore(), { 'idempotency-key': 'audit-1' });
    expect(again.headers.location).toBe(`/api/v1/stores/${first.id}`);
    const audit = new AuditRepo(t.db).list({ limit: 10 }).items.map((a) => `${a.action}:${a.target}:${a.outcome}`);
    expect(audit).toEqual([`store.create:${first.id}:replay`, `store.create:${first.id}:success`]);
    const listed = (await t.app.inject({ url: '/api/v1/audit?limit=1', headers: bearer(t.viewerKey) })).json();
    expect(listed.items[0]).toMatchObject({ action: 'store.create', outcome: 'replay' });
  });

  it('fails with 409 while the first request with the same Idempotency-Key is still running, then replays it', async () => {
    t = await makeApp();
    let release!: () => void;
    t.provisioner.createGate = new Promise((resolve) => { release = resolve; });
    const first = create(t, validStore(), { 'idempotency-key': 'slow' });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first request is now inside create
    const second = await create(t, validStore(), { 'idempotency-key': 'slow' });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
    release();
    expect((await first).statusCode).toBe(202);
    const third = await create(t, validStore(), { 'idempotency-key': 'slow' });
    expect(third.statusCode).toBe(202);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(t.provisioner.calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
  });

  it('purges Idempotency-Keys older than IDEMPOTENCY_RETENTION_HOURS at start and every 10 minutes, without any new request', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const hour = 3600_000;
      const seed = (repo: IdempotencyRepo, key: string, ageMs: number) =>
        repo.save('some-key-id', key, { requestHash: 'h', statusCode: 202, response: {} }, new Date(Date.now() - ageMs));
      const db = openDb(':memory:');
      seed(new IdempotencyRepo(db), 'stale-at-start', 3 * hour);
      t = await makeApp({ IDEMPOTENCY_RETENTION_HOURS: 2 }, { db });
      const repo = new IdempotencyRepo(t.db);
      expect(repo.find('some-key-id', 'stale-at-start')).toBeUndefined();
      seed(repo, 'stale-later', 2 * hour + 1000);
      seed(repo, 'recent', hour);
      vi.advanceTimersByTime(10 * 60_000);
      expect(repo.find('some-key-id', 'stale-later')).toBeUndefined();
      expect(repo.find('some-key-id', 'recent')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a key past its retention as new: the request runs again and its answer is stored', async () => {
    t = await makeApp();
    const repo = new IdempotencyRepo(t.db);
    repo.save(t.adminKeyId, 'old', { requestHash: 'other', statusCode: 202, response: { id: 'gone' } }, new Date(Date.now() - 25 * 3600_000));
    const res = await create(t, validStore(), { 'idempotency-key': 'old' });
    expect(res.statusCode).toBe(202);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(repo.find(t.adminKeyId, 'old')?.response).toEqual(res.json());
  });

  it('replays the same body with its keys in another order (compared as canonical JSON)', async () => {
    t = await makeApp();
    const spec = validStore({ customDomain: 'shop.example.com', teardownOnFailure: true });
    const reversed = Object.fromEntries(Object.entries(spec).reverse());
    const first = await create(t, spec, { 'idempotency-key': 'order' });
    const again = await t.app.inject({
      method: 'POST', url: '/api/v1/stores', headers: { ...bearer(t.adminKey), 'idempotency-key': 'order', 'content-type': 'application/json' }, payload: JSON.stringify(reversed),
    });
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
  });

  it('writes canonical JSON whatever the key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('commits the store and its Idempotency-Key answer together: a retry after a failure past the insert replays it, never 409', async () => {
    t = await makeApp();
    t.provisioner.failAfterInsert = true;
    const crashed = await create(t, validStore(), { 'idempotency-key': 'crash' });
    expect(crashed.statusCode).toBe(500);
    t.provisioner.failAfterInsert = false;
    const retried = await create(t, validStore(), { 'idempotency-key': 'crash' });
    expect(retried.statusCode).toBe(202);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    const stores = t.provisioner.stores.list({ limit: 10 }).items;
    expect(stores).toHaveLength(1);
    expect(retried.json()).toMatchObject({ id: stores[0]!.id, name: 'acme-shop', status: 'Pending' });
  });

  it('inserts no store when its Idempotency-Key answer cannot be recorded', () => {
    const db = openDb(':memory:');
    const stores = new StoresRepo(db);
    const row = { id: 'st-1', ownerId: 'default', slug: 'acme', title: 'Acme', engine: 'woocommerce', plan: 'small', adminEmail: 'a@b.co', customDomain: null, host: 'acme.test',
      currency: 'USD', status: 'Pending', storeUrl: 'http://acme.test', adminUrl: 'http://acme.test/wp-admin/', teardownOnFailure: false, createdBy: 'k', createdAt: new Date(), updatedAt: new Date() } as const;
    expect(() => stores.insertWithinLimit(row, 10, undefined, () => {
      throw new Error('disk full');
    })).toThrow('disk full');
    expect(stores.find('st-1')).toBeUndefined();
  });

  it('fails with 422 when an Idempotency-Key is reused with another body', async () => {
    t = await makeApp();
    await create(t, validStore(), { 'idempotency-key': 'k1' });
    const res = await create(t, validStore({ name: 'other-shop' }), { 'idempotency-key': 'k1' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('fails with 403 STORE_LIMIT_REACHED at MAX_STORES and counts only live stores', async () => {
    t = await makeApp({ MAX_STORES: 1 });
    const first = (await create(t, validStore())).json();
    const res = await create(t, validStore({ name: 'second-shop' }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'STORE_LIMIT_REACHED' });
    expect(res.json().detail).toMatch(/MAX_STORES/);
    t.provisioner.setStatus(first.id, 'Deleting');
    t.provisioner.setStatus(first.id, 'Deleted');
    expect((await create(t, validStore({ name: 'second-shop' }))).statusCode).toBe(202);
  });
});

describe('rate limits', () => {
  it('fails with 429 and Retry-After past the read limit, per key', async () => {
    t = await makeApp({ RATE_LIMIT_READ_PER_MINUTE: 3 });
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ url: '/api/v1/stores', headers: bearer(t.adminKey) })).statusCode).toBe(200);
    const res = await t.app.inject({ url: '/api/v1/stores', headers: bearer(t.adminKey) });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json().code).toBe('RATE_LIMITED');
    // another key has its own bucket
    expect((await t.app.inject({ url: '/api/v1/stores', headers: bearer(t.viewerKey) })).statusCode).toBe(200);
  });

  it('counts creates separately from reads', async () => {
    t = await makeApp({ RATE_LIMIT_CREATE_PER_MINUTE: 1 });
    expect((await create(t, validStore())).statusCode).toBe(202);
    expect((await create(t, validStore({ name: 'two-shop' }))).statusCode).toBe(429);
    expect((await t.app.inject({ url: '/api/v1/stores', headers: bearer(t.adminKey) })).statusCode).toBe(200);
  });
});

describe('reads and actions', () => {
  it('paginates with a cursor and filters by status', async () => {
    t = await makeApp();
    for (const n of ['shop-one', 'shop-two', 'shop-three']) await create(t, validStore({ name: n }));
    const p1 = (await t.app.inject({ url: '/api/v1/stores?limit=2', headers: bearer(t.adminKey) })).json();
    expect(p1.items).toHaveLength(2);
    expect(p1.nextCursor).toBeTypeOf('string');
    const p2 = (await t.app.inject({ url: `/api/v1/stores?limit=2&cursor=${p1.nextCursor}`, headers: bearer(t.adminKey) })).json();
    expect(p2.items).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    const names = [...p1.items, ...p2.items].map((s: { name: string }) => s.name).sort();
    expect(names).toEqual(['shop-one', 'shop-three', 'shop-two']);
    const ready = (await t.app.inject({ url: '/api/v1/stores?status=Ready', headers: bearer(t.adminKey) })).json();
    expect(ready.items).toEqual([]);
    expect((await t.app.inject({ url: '/api/v1/stores?cursor=garbage', headers: bearer(t.adminKey) })).statusCode).toBe(400);
  });

  it('fails with 404 problem for an unknown store', async () => {
    t = await makeApp();
    const res = await t.app.inject({ url: '/api/v1/stores/nope', headers: bearer(t.adminKey) });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('deletes with 202, retries only Failed stores, and audits each mutation', async () => {
    t = await makeApp();
    const s = (await create(t, validStore())).json();
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${s.id}/retry`, headers: bearer(t.adminKey) });
    expect(retry.statusCode).toBe(409);
    t.provisioner.setStatus(s.id, 'Provisioning');
    t.provisioner.setStatus(s.id, 'Failed', { failedStep: 'mysql' });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/stores/${s.id}/retry`, headers: bearer(t.adminKey) })).statusCode).toBe(202);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/stores/${s.id}`, headers: bearer(t.adminKey) });
    expect(del.statusCode).toBe(202);
    expect(del.json().status).toBe('Deleting');
    const actions = new AuditRepo(t.db).list({ limit: 10 }).items.map((a) => `${a.action}:${a.outcome}`);
    expect(actions).toEqual(['store.delete:success', 'store.retry:success', 'store.retry:failure', 'store.create:success']);
  });

  it('changes the plan of a Ready store with PATCH, and fails on a busy store, an unknown plan or other fields', async () => {
    t = await makeApp();
    const s = (await create(t, validStore({ plan: 'small' }))).json();
    const patch = (body: object, key = t.adminKey) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${s.id}`, headers: bearer(key), payload: body });
    expect((await patch({ plan: 'large' })).statusCode).toBe(409); // still Pending
    t.provisioner.setStatus(s.id, 'Provisioning');
    t.provisioner.setStatus(s.id, 'Ready');
    expect((await patch({ plan: 'huge' })).statusCode).toBe(400);
    expect((await patch({ plan: 'large', name: 'renamed' })).statusCode).toBe(400);
    expect((await patch({ plan: 'large' }, t.viewerKey)).statusCode).toBe(403);
    const moved = await patch({ plan: 'large' });
    expect(moved.statusCode).toBe(202);
    expect(moved.json().status).toBe('Provisioning');
    // invalid bodies and the viewer never reach the engine; the Pending attempt did and was refused there
    expect(t.provisioner.calls.filter((c) => c.startsWith('plan '))).toEqual([`plan ${s.id} large`, `plan ${s.id} large`]);
    const actions = new AuditRepo(t.db).list({ limit: 3 }).items.map((a) => `${a.action}:${a.outcome}`);
    expect(actions[0]).toBe('store.change-plan:success');
  });

  it('restarts one component, resets the password once, and audits credentials reads', async () => {
    t = await makeApp();
    const s = (await create(t, validStore())).json();
    const restart = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${s.id}/actions/restart`, headers: bearer(t.adminKey), payload: { component: 'wordpress' } });
    expect(restart.statusCode).toBe(202);
    expect(restart.json().restarted).toEqual(['wordpress']);
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${s.id}/actions/reset-admin-password`, headers: bearer(t.adminKey) });
    expect(reset.statusCode).toBe(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    const creds = await t.app.inject({ url: `/api/v1/stores/${s.id}/credentials`, headers: bearer(t.adminKey) });
    expect(creds.json()).toMatchObject({ username: 'admin', password: 's3cret-from-the-secret' });
    const audit = new AuditRepo(t.db).list({ limit: 10 }).items;
    expect(audit[0]).toMatchObject({ action: 'store.credentials.read', actor: t.adminKeyId, target: s.id });
    expect(JSON.stringify(audit)).not.toContain('s3cret');
  });

  it('serves health, logs and the audit log with pagination', async () => {
    t = await makeApp();
    const s = (await create(t, validStore())).json();
    expect((await t.app.inject({ url: `/api/v1/stores/${s.id}/health`, headers: bearer(t.viewerKey) })).json().pods).toHaveLength(1);
    expect((await t.app.inject({ url: `/api/v1/stores/${s.id}/logs?component=wordpress&tail=10`, headers: bearer(t.viewerKey) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/stores/${s.id}/logs?tail=0`, headers: bearer(t.viewerKey) })).statusCode).toBe(400);
    await create(t, validStore({ name: 'shop-two' }));
    const a1 = (await t.app.inject({ url: '/api/v1/audit?limit=1', headers: bearer(t.viewerKey) })).json();
    expect(a1.items).toHaveLength(1);
    const a2 = (await t.app.inject({ url: `/api/v1/audit?limit=1&cursor=${a1.nextCursor}`, headers: bearer(t.viewerKey) })).json();
    expect(a2.items[0].id).toBeLessThan(a1.items[0].id);
  });
});

describe('server-sent events', () => {
  it('streams the backlog, then live steps, and ends when the store is Ready', async () => {
    t = await makeApp();
    const s = (await create(t, validStore())).json();
    t.provisioner.setStatus(s.id, 'Provisioning');
    t.provisioner.step(s.id, 'namespace', 'started');
    const pending = t.app.inject({ url: `/api/v1/stores/${s.id}/events/stream`, headers: bearer(t.viewerKey) });
    await new Promise((r) => setTimeout(r, 50)); // let the stream subscribe
    t.provisioner.step(s.id, 'namespace', 'succeeded', 120);
    t.provisioner.setStatus(s.id, 'Ready');
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = res.body.split('\n\n').map((b) => /^event: (.+)$/m.exec(b)?.[1]).filter(Boolean);
    expect(events).toEqual(['store', 'step', 'step', 'store', 'end']);
    expect(res.body).toContain('"phase":"succeeded"');
  });

  it('resumes after Last-Event-ID and closes at once for a finished store', async () => {
    t = await makeApp();
    const s = (await create(t, validStore())).json();
    const e1 = t.provisioner.step(s.id, 'namespace', 'started');
    t.provisioner.step(s.id, 'namespace', 'succeeded', 5);
    t.provisioner.setStatus(s.id, 'Provisioning');
    t.provisioner.setStatus(s.id, 'Failed', { failedStep: 'namespace' });
    const res = await t.app.inject({ url: `/api/v1/stores/${s.id}/events/stream`, headers: { ...bearer(t.viewerKey), 'last-event-id': String(e1.id) } });
    const ids = [...res.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([e1.id + 1]);
    expect(res.body).toMatch(/event: end\ndata: {"status":"Failed"}/);
  });
});

describe('all-stores stream', () => {
  it('sends every store change and step of any store until the server closes', async () => {
    t = await makeApp();
    const pending = t.app.inject({ url: '/api/v1/stores/stream', headers: bearer(t.viewerKey) });
    await new Promise((r) => setTimeout(r, 50)); // let the stream subscribe
    const a = (await create(t, validStore({ name: 'shop-a' }))).json();
    t.provisioner.step(a.id, 'namespace', 'started');
    t.provisioner.setStatus(a.id, 'Provisioning');
    await t.app.close(); // ends open streams
    const res = await pending;
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = res.body.split('\n\n').map((b) => /^event: (.+)$/m.exec(b)?.[1]).filter(Boolean);
    expect(events).toEqual(['ready', 'store', 'step', 'store']);
    expect(res.body).toContain('"status":"Provisioning"');
  });
});

describe('system routes and documentation', () => {
  it('answers /healthz, and /readyz with 503 when the API server is down', async () => {
    t = await makeApp();
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    t.kubeUp.value = false;
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({ database: 'ok', kubernetes: 'unreachable' });
  });

  it('exposes Prometheus metrics including step durations and HTTP latency', async () => {
    t = await makeApp();
    const s = (await create(t, validStore())).json();
    t.provisioner.step(s.id, 'mysql', 'succeeded', 1500);
    t.provisioner.step(s.id, 'wordpress', 'failed', 300);
    const text = (await t.app.inject({ url: '/metrics' })).body;
    expect(text).toMatch(/store_platform_provisioning_step_duration_seconds_count\{step="mysql",outcome="succeeded"\} 1/);
    expect(text).toMatch(/store_platform_provisioning_failures_total\{step="wordpress"\} 1/);
    expect(text).toMatch(/store_platform_stores\{status="Pending"\} 1/);
    expect(text).toMatch(/store_platform_queue_depth 0/);
    expect(text).toMatch(/store_platform_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/stores",status_code="202"\} 1/);
  });

  it('exports the Kubernetes API requests sent so far as a counter that only grows', async () => {
    const sent: Record<string, number> = { GET: 5, PATCH: 2 };
    t = await makeApp({}, { kubeRequestCounts: () => sent });
    const scrape = async () => (await t.app.inject({ url: '/metrics' })).body;
    expect(await scrape()).toMatch(/store_platform_kube_requests_total\{method="GET"\} 5\n/);
    sent.GET = 9;
    sent.POST = 1;
    const text = await scrape();
    expect(text).toMatch(/store_platform_kube_requests_total\{method="GET"\} 9\n/);
    expect(text).toMatch(/store_platform_kube_requests_total\{method="PATCH"\} 2\n/);
    expect(text).toMatch(/store_platform_kube_requests_total\{method="POST"\} 1\n/);
  });

  it('exports whether each readiness watch is up, so an operator sees waits falling back to polling', async () => {
    const up: Record<string, boolean> = { Namespace: true, Job: false };
    t = await makeApp({}, { kubeWatches: () => up });
    const scrape = async () => (await t.app.inject({ url: '/metrics' })).body;
    expect(await scrape()).toMatch(/store_platform_kube_watch_up\{kind="Job"\} 0\n/);
    up.Job = true;
    const text = await scrape();
    expect(text).toMatch(/store_platform_kube_watch_up\{kind="Job"\} 1\n/);
    expect(text).toMatch(/store_platform_kube_watch_up\{kind="Namespace"\} 1\n/);
  });

  it('sets security headers on every response', async () => {
    t = await makeApp();
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBeTypeOf('string');
  });

  it('publishes a valid OpenAPI 3 document that lists every API route', async () => {
    t = await makeApp();
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    await SwaggerParser.validate(structuredClone(doc));
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set(Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const expected = [
      'POST /api/v1/stores', 'GET /api/v1/stores', 'GET /api/v1/stores/stream', 'GET /api/v1/stores/{id}', 'DELETE /api/v1/stores/{id}',
      'GET /api/v1/stores/{id}/events', 'GET /api/v1/stores/{id}/events/stream', 'POST /api/v1/stores/{id}/retry',
      'POST /api/v1/stores/{id}/actions/suspend', 'POST /api/v1/stores/{id}/actions/resume',
      'POST /api/v1/stores/{id}/actions/restart', 'POST /api/v1/stores/{id}/actions/reset-admin-password',
      'GET /api/v1/stores/{id}/health', 'GET /api/v1/stores/{id}/logs', 'GET /api/v1/stores/{id}/credentials', 'GET /api/v1/audit',
      'GET /healthz', 'GET /readyz', 'GET /metrics',
    ];
    for (const route of expected) expect(documented, route).toContain(route);
    expect(doc.paths['/api/v1/stores'].post.responses['400'].content).toHaveProperty(['application/problem+json']);
  });

  it('serves Swagger UI at /docs', async () => {
    t = await makeApp();
    const res = await t.app.inject({ url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('answers unknown routes with a 404 problem', async () => {
    t = await makeApp();
    const res = await t.app.inject({ url: '/api/v1/nothing', headers: bearer(t.adminKey) });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('serves the dashboard with a single-page-app fallback that leaves API 404s alone', async () => {
    const web = mkdtempSync(join(tmpdir(), 'sp-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>dash</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    t = await makeApp({}, { webDir: web });
    const root = await t.app.inject({ url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<title>dash</title>');
    expect(root.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await t.app.inject({ url: '/assets/app.js' })).body).toBe('console.log(1)');
    const deep = await t.app.inject({ url: '/stores/abc/timeline', headers: { accept: 'text/html' } });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>dash</title>');
    const api = await t.app.inject({ url: '/api/v1/nothing', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    expect((await t.app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, specFor, startApi, type ApiHarness } from './api-harness.js';

// The BOLA matrix: two owners (alpha, beta), each with an owner and a viewer key, and every route of
// the OpenAPI document. Alpha's keys must never see, stream, change or learn the existence of beta's
// stores, keys or owner: a foreign id answers exactly like an id that does not exist, lists and
// streams carry nothing of beta's, and beta's stores are untouched at the end. The routes come from the
// document (the saved one, which the first test proves equal to the served one), so a new route
// without a rule here fails the matrix. Real HTTP, the real provisioner, the simulated cluster.

const DOC = JSON.parse(readFileSync(new URL('../../src/web/api/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const routesOf = (doc: typeof DOC) =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`)).sort();

interface Tenant {
  readonly id: string;
  readonly owner: string;
  readonly viewer: string;
  readonly ownerKeyId: string;
  readonly viewerKeyId: string;
  /** A Ready store, and a spare one the positive controls may delete. */
  readonly store: string;
  readonly spare: string;
}

let h: ApiHarness;
let alpha: Tenant;
let beta: Tenant;
/** Beta's stores as beta saw them before the matrix ran. */
let betaBefore: Record<string, { status: string; plan: string; generation: number }>;

type Res = { status: number; code?: string; detail?: string; body: string };
async function call(method: string, path: string, key: string | null, opts: { body?: unknown; owner?: string } = {}): Promise<Res> {
  const res = await h.call(method, path, { key, ...(opts.body !== undefined ? { body: opts.body } : {}), headers: opts.owner ? { 'x-owner': opts.owner } : {} });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, body: '' };
  }
  const body = await res.text();
  const json = body.startsWith('{') ? (JSON.parse(body) as { code?: string; detail?: string }) : {};
  return { status: res.status, ...(json.code ? { code: json.code } : {}), ...(json.detail ? { detail: json.detail } : {}), body };
}
const json = async <T>(method: string, path: string, key: string, opts: { body?: unknown; owner?: string } = {}): Promise<T> => {
  const r = await call(method, path, key, opts);
  expect(r.status, `${method} ${path}: ${r.body}`).toBeLessThan(300);
  return JSON.parse(r.body) as T;
};

async function waitReady(key: string, id: string): Promise<void> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const s = await json<{ status: string }>('GET', `/api/v1/stores/${id}`, key);
    if (s.status === 'Ready') return;
    if (s.status === 'Failed' || Date.now() > deadline) throw new Error(`store ${id} is ${s.status}, not Ready`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function tenant(id: string): Promise<Tenant> {
  await json('POST', '/api/v1/owners', h.adminKey, { body: { id, name: `Owner ${id}` } });
  const key = (role: string) => json<{ id: string; key: string }>('POST', '/api/v1/keys', h.adminKey, { body: { name: `${id} ${role}`, role }, owner: id });
  const [owner, viewer] = [await key('owner'), await key('viewer')];
  const create = (prefix: string) => json<{ id: string }>('POST', '/api/v1/stores', owner.key, { body: specFor(h.name(prefix)) }).then((s) => s.id);
  return { id, owner: owner.key, viewer: viewer.key, ownerKeyId: owner.id, viewerKeyId: viewer.id, store: await create(`bola-${id}`), spare: await create(`bola-${id}-s`) };
}

beforeAll(async () => {
  h = await startApi({ RATE_LIMIT_CREATE_PER_MINUTE: 1000, RATE_LIMIT_MUTATION_PER_MINUTE: 10_000, RATE_LIMIT_READ_PER_MINUTE: 100_000 });
  alpha = await tenant('alpha');
  beta = await tenant('beta');
  await Promise.all([alpha.store, alpha.spare, beta.store, beta.spare].map((id) => waitReady(h.adminKey, id)));
  betaBefore = Object.fromEntries(
    await Promise.all([beta.store, beta.spare].map(async (id) => [id, await json<{ status: string; plan: string; generation: number }>('GET', `/api/v1/stores/${id}`, beta.owner)])),
  );
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const missing = () => `no-such-${randomBytes(4).toString('hex')}`;
/** The answer with the id taken out, so a foreign id and a missing one can be compared. */
const shape = (r: Res, id: string) => ({ status: r.status, code: r.code, detail: r.detail?.replaceAll(id, '<id>') });

/** Alpha's two keys, by role. */
const callers = () => [
  { role: 'owner', key: alpha.owner },
  { role: 'viewer', key: alpha.viewer },
];

/**
 * A route on one store ({id}): for each of alpha's keys, beta's store answers exactly like a store that
 * does not exist (404, or the viewer's 403 that comes before any lookup); alpha's owner key on its own
 * store is not a 404 (the route works, so the 404s mean something).
 */
const storeRoute = (method: string, path: string, body?: unknown, own: 'store' | 'spare' = 'store', ownMissing?: string) => async () => {
  for (const { role, key } of callers()) {
    for (const foreign of [beta.store, beta.spare]) {
      const absent = missing();
      const got = await call(method, path.replace('{id}', foreign), key, { body });
      const none = await call(method, path.replace('{id}', absent), key, { body });
      expect(shape(got, foreign), `${role} ${method} ${path} on beta's store`).toEqual(shape(none, absent));
      // a viewer's 403 (a mutation, or credentials) comes from its role, before any store is looked up
      expect(got.status, `${role} ${method} ${path}`).toBe(role === 'viewer' && (method !== 'GET' || path.endsWith('/credentials')) ? 403 : 404);
    }
  }
  const mine = await call(method, path.replace('{id}', alpha[own]), alpha.owner, { body });
  // a sub-resource that does not exist answers its own 404 code on alpha's store, never the store's
  if (ownMissing) expect(JSON.parse(mine.body), `alpha on its own store: ${method} ${path}`).toMatchObject({ status: 404, code: ownMissing });
  else expect(mine.status, `alpha on its own store: ${method} ${path}: ${mine.body}`).not.toBe(404);
};

/** An admin-only route: alpha's keys get the same 403 whether the owner named exists or not. */
const adminRoute = (method: string, path: string, body?: unknown) => async () => {
  for (const { key } of callers()) {
    const got = await call(method, path.replace('{ownerId}', 'beta'), key, { body });
    const none = await call(method, path.replace('{ownerId}', 'no-such-owner'), key, { body });
    expect(shape(got, 'beta'), `${method} ${path}`).toEqual(shape(none, 'no-such-owner'));
    expect(got.status).toBe(403);
  }
  const admin = await call(method === 'GET' ? method : 'GET', path.replace('{ownerId}', 'beta'), h.adminKey);
  expect(admin.status, 'a platform admin reads it').toBe(200);
};

/** A rollout route (platform admins only: a rollout spans owners): every key of alpha's is refused before anything is looked up. */
const rolloutRoute = (method: string, path: string, body?: unknown) => async () => {
  for (const { role, key } of callers()) {
    const got = await call(method, path.replace('{id}', missing()), key, { body });
    expect(got, `${role} ${method} ${path}`).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  }
  expect((await call('GET', '/api/v1/rollouts', h.adminKey)).status, 'a platform admin lists rollouts').toBe(200);
};

/** A platform route outside /api/v1: no key needed, and nothing of any store in it. */
const platformRoute = (path: string) => async () => {
  const r = await call('GET', path, null);
  expect(r.status).toBeLessThan(600);
  for (const id of [alpha.store, beta.store]) expect(r.body).not.toContain(id);
};

const idsOf = (items: { id: string }[]) => items.map((s) => s.id);

const RULES: Record<string, () => Promise<void>> = {
  'GET /metrics': platformRoute('/metrics'),
  'GET /healthz': platformRoute('/healthz'),
  'GET /readyz': platformRoute('/readyz'),

  'GET /api/v1/me': async () => {
    for (const { role, key } of callers()) {
      expect(await json('GET', '/api/v1/me', key)).toMatchObject({ role, ownerId: 'alpha', owner: { id: 'alpha' } });
      expect((await call('GET', '/api/v1/me', key, { owner: 'beta' })).status).toBe(403);
    }
  },

  'GET /api/v1/engines': async () => {
    // the same registry for every caller, and nothing of any store in it
    for (const { key } of callers()) {
      const r = await call('GET', '/api/v1/engines', key);
      expect(r.status).toBe(200);
      for (const id of [alpha.store, beta.store]) expect(r.body).not.toContain(id);
    }
    expect((await call('GET', '/api/v1/engines', null)).status).toBe(401);
  },

  'POST /api/v1/stores': async () => {
    const made = await json<{ ownerId: string }>('POST', '/api/v1/stores', alpha.owner, { body: specFor(h.name('bola-alpha-new')) });
    expect(made.ownerId).toBe('alpha');
    // naming another owner: the same refusal for an owner that exists and one that does not
    const spec = specFor(h.name('bola-escape'));
    const asBeta = await call('POST', '/api/v1/stores', alpha.owner, { body: spec, owner: 'beta' });
    expect(shape(asBeta, 'beta')).toEqual(shape(await call('POST', '/api/v1/stores', alpha.owner, { body: spec, owner: 'nobody' }), 'nobody'));
    expect(asBeta.status).toBe(403);
    expect((await call('POST', '/api/v1/stores', alpha.owner, { body: { ...spec, ownerId: 'beta' } })).status).toBe(400);
    expect((await call('POST', '/api/v1/stores', alpha.viewer, { body: specFor(h.name('bola-view')) })).status).toBe(403);
  },

  'GET /api/v1/stores': async () => {
    for (const { key } of callers()) {
      const items = (await json<{ items: { id: string; ownerId: string }[] }>('GET', '/api/v1/stores?limit=200', key)).items;
      expect(idsOf(items)).toEqual(expect.arrayContaining([alpha.store, alpha.spare]));
      expect(new Set(items.map((s) => s.ownerId))).toEqual(new Set(['alpha']));
    }
    const all = idsOf((await json<{ items: { id: string }[] }>('GET', '/api/v1/stores?limit=200', h.adminKey)).items);
    expect(all).toEqual(expect.arrayContaining([alpha.store, beta.store]));
    const forAlpha = (await json<{ items: { ownerId: string }[] }>('GET', '/api/v1/stores?limit=200', h.adminKey, { owner: 'alpha' })).items;
    expect(new Set(forAlpha.map((s) => s.ownerId))).toEqual(new Set(['alpha']));
  },

  'GET /api/v1/stores/stream': async () => {
    const streams = await Promise.all([alpha.owner, alpha.viewer, h.adminKey].map((key) => h.call('GET', '/api/v1/stores/stream', { key })));
    const reads = streams.map((s, i) =>
      readSse(s, 20_000, (m) => m.event === 'step' && (m.data as { storeId: string }).storeId === (i < 2 ? alpha.store : beta.store) && /Rollout restart/.test((m.data as { message: string }).message)));
    await new Promise((r) => setTimeout(r, 300));
    // beta acts first, then alpha: alpha's streams end on alpha's own event, with beta's already sent
    expect((await call('POST', `/api/v1/stores/${beta.store}/actions/restart`, beta.owner, { body: {} })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect((await call('POST', `/api/v1/stores/${alpha.store}/actions/restart`, alpha.owner, { body: {} })).status).toBe(202);
    const [asOwner, asViewer, asAdmin] = await Promise.all(reads);
    for (const { messages } of [asOwner!, asViewer!]) {
      const text = JSON.stringify(messages);
      expect(text, 'alpha saw its own restart').toContain(alpha.store);
      expect(text).not.toContain(beta.store);
      expect(text).not.toContain(beta.spare);
    }
    expect(JSON.stringify(asAdmin!.messages), 'a platform admin sees beta too').toContain(beta.store);
  },

  'GET /api/v1/stores/{id}': storeRoute('GET', '/api/v1/stores/{id}'),
  'DELETE /api/v1/stores/{id}': storeRoute('DELETE', '/api/v1/stores/{id}', undefined, 'spare'),
  'PATCH /api/v1/stores/{id}': storeRoute('PATCH', '/api/v1/stores/{id}', { plan: 'standard' }, 'spare'),
  'GET /api/v1/stores/{id}/events': storeRoute('GET', '/api/v1/stores/{id}/events'),
  'GET /api/v1/stores/{id}/events/stream': storeRoute('GET', '/api/v1/stores/{id}/events/stream'),
  'POST /api/v1/stores/{id}/retry': storeRoute('POST', '/api/v1/stores/{id}/retry'),
  // suspend on alpha's spare (its main store stays Ready for the others); resume of a Ready store is alpha's 409
  'POST /api/v1/stores/{id}/actions/suspend': storeRoute('POST', '/api/v1/stores/{id}/actions/suspend', undefined, 'spare'),
  'POST /api/v1/stores/{id}/actions/resume': storeRoute('POST', '/api/v1/stores/{id}/actions/resume'),
  // alpha's own store answers the catalogue's refusal (409), never 404
  'POST /api/v1/stores/{id}/actions/upgrade': storeRoute('POST', '/api/v1/stores/{id}/actions/upgrade', { version: 'no-such-release' }),
  'POST /api/v1/rollouts': rolloutRoute('POST', '/api/v1/rollouts', { engine: 'woocommerce', version: 'no-such-release' }),
  'GET /api/v1/rollouts': rolloutRoute('GET', '/api/v1/rollouts'),
  'GET /api/v1/rollouts/{id}': rolloutRoute('GET', '/api/v1/rollouts/{id}'),
  'GET /api/v1/rollouts/{id}/stream': rolloutRoute('GET', '/api/v1/rollouts/{id}/stream'),
  'POST /api/v1/rollouts/{id}/pause': rolloutRoute('POST', '/api/v1/rollouts/{id}/pause'),
  'POST /api/v1/rollouts/{id}/resume': rolloutRoute('POST', '/api/v1/rollouts/{id}/resume'),
  'POST /api/v1/rollouts/{id}/abort': rolloutRoute('POST', '/api/v1/rollouts/{id}/abort'),
  // undelete of a Ready store is alpha's 409 too
  'POST /api/v1/stores/{id}/actions/undelete': storeRoute('POST', '/api/v1/stores/{id}/actions/undelete'),
  'POST /api/v1/stores/{id}/actions/restart': storeRoute('POST', '/api/v1/stores/{id}/actions/restart', { component: 'wordpress' }),
  'POST /api/v1/stores/{id}/actions/reset-admin-password': storeRoute('POST', '/api/v1/stores/{id}/actions/reset-admin-password'),
  'GET /api/v1/stores/{id}/health': storeRoute('GET', '/api/v1/stores/{id}/health'),
  'GET /api/v1/stores/{id}/logs': storeRoute('GET', '/api/v1/stores/{id}/logs'),
  'GET /api/v1/stores/{id}/credentials': storeRoute('GET', '/api/v1/stores/{id}/credentials'),
  'GET /api/v1/stores/{id}/backups': storeRoute('GET', '/api/v1/stores/{id}/backups'),
  'GET /api/v1/stores/{id}/backups/{backupId}': storeRoute('GET', '/api/v1/stores/{id}/backups/bk-none', undefined, 'store', 'BACKUP_NOT_FOUND'),
  'GET /api/v1/stores/{id}/restores': storeRoute('GET', '/api/v1/stores/{id}/restores'),
  'POST /api/v1/stores/{id}/backups': storeRoute('POST', '/api/v1/stores/{id}/backups'),
  'POST /api/v1/stores/{id}/restore': storeRoute('POST', '/api/v1/stores/{id}/restore', { backupId: 'bk-none' }),
  // no target here: every owner key learns only that (another owner's backup is 404 like a missing one: test/unit/http/backups.test.ts)
  'POST /api/v1/backups/{backupId}/restore': async () => {
    for (const { role, key } of callers()) {
      const got = await call('POST', '/api/v1/backups/bk-none/restore', key, { body: { name: h.name('bola-clone') } });
      expect(got.status).toBe(role === 'viewer' ? 403 : 409);
      if (role !== 'viewer') expect(got.body).toContain('BACKUPS_NOT_CONFIGURED');
    }
  },

  'GET /api/v1/audit': async () => {
    const betaKeys = new Set([beta.ownerKeyId, beta.viewerKeyId]);
    for (const { key } of callers()) {
      const items = (await json<{ items: { actor: string; ownerId: string | null; target: string }[] }>('GET', '/api/v1/audit?limit=200', key)).items;
      expect(items.length).toBeGreaterThan(0);
      expect(new Set(items.map((a) => a.ownerId))).toEqual(new Set(['alpha']));
      expect(items.filter((a) => betaKeys.has(a.actor))).toEqual([]);
    }
    const all = (await json<{ items: { actor: string }[] }>('GET', '/api/v1/audit?limit=200', h.adminKey)).items;
    expect(all.some((a) => betaKeys.has(a.actor)), 'beta\'s own actions are on the log').toBe(true);
  },

  'POST /api/v1/owners': async () => {
    for (const { key } of callers()) {
      expect((await call('POST', '/api/v1/owners', key, { body: { id: 'gamma', name: 'Gamma' } })).status).toBe(403);
    }
    expect((await call('GET', '/api/v1/owners/gamma', h.adminKey)).status).toBe(404);
  },
  'GET /api/v1/owners': async () => {
    for (const { key } of callers()) expect((await call('GET', '/api/v1/owners', key)).status).toBe(403);
    const owners = idsOf((await json<{ items: { id: string }[] }>('GET', '/api/v1/owners', h.adminKey)).items);
    expect(owners).toEqual(expect.arrayContaining(['alpha', 'beta', 'default']));
  },
  'GET /api/v1/owners/{ownerId}': adminRoute('GET', '/api/v1/owners/{ownerId}'),
  'PATCH /api/v1/owners/{ownerId}': adminRoute('PATCH', '/api/v1/owners/{ownerId}', { maxStores: 0 }),
  'DELETE /api/v1/owners/{ownerId}': adminRoute('DELETE', '/api/v1/owners/{ownerId}'),

  'GET /api/v1/keys': async () => {
    const items = (await json<{ items: { id: string; ownerId: string }[] }>('GET', '/api/v1/keys', alpha.owner)).items;
    expect(idsOf(items)).toEqual(expect.arrayContaining([alpha.ownerKeyId, alpha.viewerKeyId]));
    expect(new Set(items.map((k) => k.ownerId))).toEqual(new Set(['alpha']));
    expect((await call('GET', '/api/v1/keys', alpha.viewer)).status).toBe(403);
  },
  'POST /api/v1/keys': async () => {
    const made = await json<{ ownerId: string }>('POST', '/api/v1/keys', alpha.owner, { body: { name: 'alpha ci', role: 'viewer' } });
    expect(made.ownerId).toBe('alpha');
    const asBeta = await call('POST', '/api/v1/keys', alpha.owner, { body: { name: 'x', role: 'owner' }, owner: 'beta' });
    expect(shape(asBeta, 'beta')).toEqual(shape(await call('POST', '/api/v1/keys', alpha.owner, { body: { name: 'x', role: 'owner' }, owner: 'nobody' }), 'nobody'));
    expect(asBeta.status).toBe(403);
    expect((await call('POST', '/api/v1/keys', alpha.owner, { body: { name: 'x', role: 'admin' } })).status).toBe(403);
  },
  'DELETE /api/v1/keys/{keyId}': async () => {
    for (const { role, key } of callers()) {
      const absent = missing();
      const got = await call('DELETE', `/api/v1/keys/${beta.viewerKeyId}`, key);
      expect(shape(got, beta.viewerKeyId)).toEqual(shape(await call('DELETE', `/api/v1/keys/${absent}`, key), absent));
      expect(got.status).toBe(role === 'viewer' ? 403 : 404);
    }
    expect((await call('GET', '/api/v1/me', beta.viewer)).status, 'beta\'s key still works').toBe(200);
  },
};

describe('BOLA matrix: two owners, every route of the OpenAPI document', () => {
  it('has the same routes in the served document as in the saved one the matrix is generated from', async () => {
    const served = (await (await fetch(`${h.url}/openapi.json`)).json()) as typeof DOC;
    expect(routesOf(served)).toEqual(routesOf(DOC));
  });

  it('has a rule for every route, and no rule for a route that is gone', () => {
    const routes = routesOf(DOC);
    expect(routes.filter((r) => !Object.hasOwn(RULES, r)), 'routes without a rule').toEqual([]);
    expect(Object.keys(RULES).filter((r) => !routes.includes(r)), 'rules without a route').toEqual([]);
  });

  for (const route of routesOf(DOC)) {
    it(`${route}: alpha never sees, streams, changes or learns of beta's stores`, async () => {
      const rule = RULES[route];
      if (rule === undefined) throw new Error(`no BOLA rule for ${route}: add one to RULES`);
      await rule();
    });
  }

  it('left beta\'s stores as they were, and nothing of alpha on their timelines', async () => {
    const alphaKeys = [alpha.ownerKeyId, alpha.viewerKeyId];
    for (const [id, before] of Object.entries(betaBefore)) {
      const now = await json<{ status: string; plan: string; generation: number }>('GET', `/api/v1/stores/${id}`, beta.owner);
      expect({ status: now.status, plan: now.plan, generation: now.generation }).toEqual({ status: before.status, plan: before.plan, generation: before.generation });
      const timeline = JSON.stringify(await json('GET', `/api/v1/stores/${id}/events`, beta.viewer));
      for (const k of alphaKeys) expect(timeline).not.toContain(k);
      expect(timeline).not.toMatch(/password reset|Delete requested|Retry requested/i);
    }
    // beta's store restarted only once: by beta, in the stream rule
    const restarts = (await json<{ items: { message: string }[] }>('GET', `/api/v1/stores/${beta.store}/events`, beta.viewer)).items.filter((e) => /Rollout restart/.test(e.message));
    expect(restarts).toHaveLength(1);
  });
});

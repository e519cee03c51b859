import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFor, startApi, type ApiHarness } from './api-harness.js';
import { responseValidator, type RecordedResponse } from './api-openapi.js';

// Validation, auth, idempotency, limits and the OpenAPI contract, over real HTTP with the real engine.

let h: ApiHarness;
let limited: ApiHarness;
const recorded: RecordedResponse[] = [];

beforeAll(async () => {
  [h, limited] = await Promise.all([
    startApi({ RATE_LIMIT_CREATE_PER_MINUTE: 100, RATE_LIMIT_READ_PER_MINUTE: 40 }),
    startApi({ MAX_STORES: 1, RATE_LIMIT_CREATE_PER_MINUTE: 3 }),
  ]);
});
afterAll(async () => {
  await Promise.all([h?.close(), limited?.close()]);
});

/** Calls the API and records the response for the schema check at the end. */
async function call(api: ApiHarness, method: string, path: string, opts: Parameters<ApiHarness['call']>[2] = {}) {
  const res = await api.call(method, path, opts);
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const body: unknown = /json/.test(contentType) && text.length > 0 ? JSON.parse(text) : text;
  if (!/event-stream/.test(contentType)) recorded.push({ method, path, status: res.status, contentType, body });
  return { status: res.status, headers: res.headers, body: body as Record<string, any> };
}

describe('validation', () => {
  it('fails with 400 and a problem naming the field for a bad name', async () => {
    const res = await call(h, 'POST', '/api/v1/stores', { body: specFor('Not_A_Label') });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'https://store-platform.dev/problems/validation-failed', status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['/name']);
  });

  it('fails with 400 for an unknown engine', async () => {
    const res = await call(h, 'POST', '/api/v1/stores', { body: specFor(h.name('eng'), { engine: 'magento' }) });
    expect(res.status).toBe(400);
  });

  it('fails with 400 for unknown fields', async () => {
    const res = await call(h, 'POST', '/api/v1/stores', { body: specFor(h.name('unk'), { replicas: 2, image: 'evil:latest' }) });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/image', '/replicas']);
  });

  it('fails with 413 for an oversized body and 415 for a body that is not JSON', async () => {
    const big = await call(h, 'POST', '/api/v1/stores', { body: specFor('big-one', { title: 'x'.repeat(70_000) }) });
    expect(big.status).toBe(413);
    const res = await h.call('POST', '/api/v1/stores', { headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('auth', () => {
  it('fails with 401 without a key and with an unknown key', async () => {
    expect((await call(h, 'GET', '/api/v1/stores', { key: null })).status).toBe(401);
    expect((await call(h, 'GET', '/api/v1/stores', { key: 'sp_aaaaaaaaaaaa_' + 'A'.repeat(43) })).status).toBe(401);
  });

  it('fails with 403 when a viewer key mutates', async () => {
    const res = await call(h, 'POST', '/api/v1/stores', { key: h.viewerKey, body: specFor(h.name('viewer')) });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('accepts the bootstrap admin key from STORE_PLATFORM_ADMIN_KEY', async () => {
    // startApi sets one; any key of another shape maps to the bootstrap row, so a wrong one is 401
    expect((await call(h, 'GET', '/api/v1/stores', { key: 'bootstrap-wrong-key-of-sufficient-length' })).status).toBe(401);
  });
});

describe('creation rules', () => {
  let storeId: string;

  it('fails with 409 when the name is taken by a live store', async () => {
    const name = h.name('dup');
    const first = await call(h, 'POST', '/api/v1/stores', { body: specFor(name) });
    expect(first.status).toBe(202);
    storeId = first.body.id;
    const second = await call(h, 'POST', '/api/v1/stores', { body: specFor(name, { title: 'other' }) });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('STORE_NAME_TAKEN');
  });

  it('replays an Idempotency-Key with the same body and refuses it with another body', async () => {
    const name = h.name('idem');
    const headers = { 'idempotency-key': `k-${name}` };
    const a = await call(h, 'POST', '/api/v1/stores', { body: specFor(name), headers });
    const b = await call(h, 'POST', '/api/v1/stores', { body: specFor(name), headers });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const all = await call(h, 'GET', '/api/v1/stores?limit=200');
    expect(all.body.items.filter((s: { name: string }) => s.name === name)).toHaveLength(1);
    const c = await call(h, 'POST', '/api/v1/stores', { body: specFor(name, { plan: 'large' }), headers });
    expect(c.status).toBe(422);
    expect(c.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await call(h, 'DELETE', `/api/v1/stores/${a.body.id}`);
  });

  it('reads the store, its timeline, a filtered list and the audit log', async () => {
    expect((await call(h, 'GET', `/api/v1/stores/${storeId}`, { key: h.viewerKey })).status).toBe(200);
    expect((await call(h, 'GET', `/api/v1/stores/${storeId}/events`)).body.items.length).toBeGreaterThan(0);
    expect((await call(h, 'GET', '/api/v1/stores?status=Deleted')).status).toBe(200);
    expect((await call(h, 'GET', '/api/v1/audit?limit=5')).body.items.length).toBe(5);
    expect((await call(h, 'GET', '/api/v1/stores/does-not-exist')).status).toBe(404);
    expect((await call(h, 'POST', `/api/v1/stores/${storeId}/actions/restart`, { body: { component: 'no-such-thing' } })).status).toBeGreaterThanOrEqual(400);
    expect((await call(h, 'DELETE', `/api/v1/stores/${storeId}`)).status).toBe(202);
  });

  it('refuses creates beyond MAX_STORES with a clear problem, then rate-limits with Retry-After', async () => {
    expect((await call(limited, 'POST', '/api/v1/stores', { body: specFor(limited.name('cap')) })).status).toBe(202);
    const over = await call(limited, 'POST', '/api/v1/stores', { body: specFor(limited.name('cap')) });
    expect(over.status).toBe(403);
    expect(over.body).toMatchObject({ code: 'STORE_LIMIT_REACHED', type: 'https://store-platform.dev/problems/store-limit-reached' });
    expect(over.body.detail).toMatch(/MAX_STORES/);
    expect((await call(limited, 'POST', '/api/v1/stores', { body: specFor(limited.name('cap')) })).status).toBe(403);
    const limitedRes = await call(limited, 'POST', '/api/v1/stores', { body: specFor(limited.name('cap')) });
    expect(limitedRes.status).toBe(429);
    expect(Number(limitedRes.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limitedRes.body.code).toBe('RATE_LIMITED');
  });

  it('rate-limits reads per key with 429 and Retry-After', async () => {
    let last = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 41 && last !== 429; i++) {
      const res = await h.call('GET', '/api/v1/audit?limit=1', { key: h.viewerKey });
      last = res.status;
      retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // the admin key has its own bucket
    expect((await h.call('GET', '/api/v1/audit?limit=1')).status).toBe(200);
  });
});

describe('suspend and resume', () => {
  const waitFor = async (id: string, status: string) => {
    for (let i = 0; i < 300; i++) {
      const res = await call(h, 'GET', `/api/v1/stores/${id}`);
      if (res.status === 429) { // this harness allows 40 reads a minute
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
        continue;
      }
      const store = res.body;
      if (store.status === status) return store;
      if (store.status === 'Failed') throw new Error(`store failed: ${store.statusReason}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`store ${id} never became ${status}`);
  };

  it('suspends and resumes over HTTP, with 409 ILLEGAL_TRANSITION where the lifecycle forbids it and 403 for a viewer', async () => {
    const created = await call(h, 'POST', '/api/v1/stores', { body: specFor(h.name('pause')) });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const early = await call(h, 'POST', `/api/v1/stores/${id}/actions/suspend`);
    if (early.status === 409) expect(early.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', type: 'https://store-platform.dev/problems/illegal-transition' });
    else expect(early.status).toBe(202); // the engine was quicker than this request
    await waitFor(id, early.status === 202 ? 'Suspended' : 'Ready');
    if (early.status === 409) expect((await call(h, 'POST', `/api/v1/stores/${id}/actions/suspend`)).status).toBe(202);
    expect((await call(h, 'POST', `/api/v1/stores/${id}/actions/suspend`, { key: h.viewerKey })).status).toBe(403);
    const suspended = await waitFor(id, 'Suspended');
    expect(suspended.conditions.at(-1)).toMatchObject({ type: 'Ready', status: 'False', reason: 'Suspended' });
    expect((await call(h, 'POST', `/api/v1/stores/${id}/actions/resume`, { key: h.viewerKey })).status).toBe(403);
    const resumed = await call(h, 'POST', `/api/v1/stores/${id}/actions/resume`);
    expect(resumed.status).toBe(202);
    expect(resumed.body.status).toBe('Resuming');
    const again = await call(h, 'POST', `/api/v1/stores/${id}/actions/suspend`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('only a Ready store can be suspended (status is Resuming)');
    await waitFor(id, 'Ready');
    const audit = (await call(h, 'GET', '/api/v1/audit?limit=50')).body.items.filter((a: { target: string }) => a.target === id).map((a: { action: string; outcome: string }) => `${a.action}:${a.outcome}`);
    expect(audit).toEqual(expect.arrayContaining(['store.suspend:success', 'store.suspend:denied', 'store.resume:success', 'store.resume:denied', 'store.suspend:failure']));
    expect((await call(h, 'DELETE', `/api/v1/stores/${id}`)).status).toBe(202);
  });
});

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3 document covering every route', async () => {
    const doc = (await (await h.call('GET', '/openapi.json', { key: null })).json()) as Record<string, any>;
    await SwaggerParser.validate(structuredClone(doc) as never);
    expect(doc.openapi).toMatch(/^3\./);
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(ops)) {
        const url = path.replace(/\{[^}]+\}/g, 'x');
        expect(h.platform.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace(/\{([^}]+)\}/g, ':$1') }), `${method} ${url}`).toBe(true);
      }
    }
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/')).length).toBeGreaterThanOrEqual(12);
  });

  it('every response recorded above matches its documented schema and content type', async () => {
    const doc = (await (await h.call('GET', '/openapi.json', { key: null })).json()) as unknown;
    const validate = await responseValidator(doc);
    expect(recorded.length).toBeGreaterThan(15);
    const problems = recorded.flatMap((r) => validate(r));
    expect(problems).toEqual([]);
  });
});

import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';

// Owners, their keys, allowances and limits, through the API (app.inject on the fake engine).
let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const as = (key: string, req: InjectOptions, owner?: string) =>
  t.app.inject({ ...req, headers: { ...bearer(key), ...(owner !== undefined ? { 'x-owner': owner } : {}), ...req.headers } });

async function ownerWithKeys(id: string, limits: Record<string, unknown> = {}) {
  const created = await as(t.adminKey, { method: 'POST', url: '/api/v1/owners', payload: { id, name: `Owner ${id}`, ...limits } });
  expect(created.statusCode, created.body).toBe(201);
  const key = async (role: string) => {
    const res = await as(t.adminKey, { method: 'POST', url: '/api/v1/keys', payload: { name: `${id} ${role}`, role } }, id);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; key: string; ownerId: string };
  };
  return { owner: (await key('owner')).key, viewer: (await key('viewer')).key };
}

describe('owners and limits', () => {
  it('creates a store for the caller\'s owner and refuses plans, engines and limits outside its allowance', async () => {
    t = await makeApp();
    const acme = await ownerWithKeys('acme', { allowedPlans: ['small'], allowedEngines: ['woocommerce'], maxStores: 1 });
    const create = (body: object) => as(acme.owner, { method: 'POST', url: '/api/v1/stores', payload: body });

    expect((await create(validStore({ plan: 'large' }))).json()).toMatchObject({ status: 403, code: 'PLAN_NOT_ALLOWED' });
    const ok = await create(validStore());
    expect(ok.statusCode).toBe(202);
    expect(ok.json().ownerId).toBe('acme');
    expect((await create(validStore({ name: 'second' }))).json()).toMatchObject({ status: 403, code: 'OWNER_LIMIT_REACHED' });

    const medusaOnly = await ownerWithKeys('medusa-only', { allowedEngines: ['medusa'] });
    const refused = await as(medusaOnly.owner, { method: 'POST', url: '/api/v1/stores', payload: validStore({ name: 'woo-shop' }) });
    expect(refused.json()).toMatchObject({ status: 403, code: 'ENGINE_NOT_ALLOWED' });

    const me = (await as(acme.viewer, { url: '/api/v1/me' })).json();
    expect(me).toMatchObject({ role: 'viewer', ownerId: 'acme', owner: { id: 'acme', maxStores: 1, usage: { stores: 1, cpuMillis: 1000, memoryMiB: 1536 } } });
  });

  it('fails with OWNER_LIMIT_REACHED when the plan\'s quota would pass the owner\'s CPU or memory limit', async () => {
    t = await makeApp();
    const small = await ownerWithKeys('tight', { maxCpuMillis: 1500 }); // one small store (1000m) fits, two do not
    const create = (name: string) => as(small.owner, { method: 'POST', url: '/api/v1/stores', payload: validStore({ name }) });
    expect((await create('one-shop')).statusCode).toBe(202);
    const refused = (await create('two-shop')).json();
    expect(refused).toMatchObject({ code: 'OWNER_LIMIT_REACHED' });
    expect(refused.detail).toMatch(/1000m CPU.*uses 1000m of its 1500m/);
  });

  it('lets only platform admins manage owners, and an admin act for an owner with X-Owner', async () => {
    t = await makeApp();
    const acme = await ownerWithKeys('acme');
    expect((await as(acme.owner, { url: '/api/v1/owners' })).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await as(acme.owner, { url: '/api/v1/stores' }, 'default')).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await as(t.adminKey, { url: '/api/v1/stores' }, 'nobody')).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    const forAcme = await as(t.adminKey, { method: 'POST', url: '/api/v1/stores', payload: validStore() }, 'acme');
    expect(forAcme.json().ownerId).toBe('acme');
    expect((await as(acme.owner, { url: '/api/v1/stores' })).json().items.map((s: { id: string }) => s.id)).toEqual([forAcme.json().id]);
    expect((await as(t.adminKey, { method: 'PATCH', url: '/api/v1/owners/acme', payload: { maxStores: 0 } })).json().maxStores).toBe(0);
    expect((await as(t.adminKey, { method: 'DELETE', url: '/api/v1/owners/acme' })).json()).toMatchObject({ code: 'OWNER_IN_USE' });
    expect((await as(t.adminKey, { method: 'DELETE', url: '/api/v1/owners/default' })).json()).toMatchObject({ code: 'OWNER_IN_USE' });
  });

  it('deletes an owner without live stores and its keys stop working', async () => {
    t = await makeApp();
    const gone = await ownerWithKeys('gone');
    expect((await as(t.adminKey, { method: 'DELETE', url: '/api/v1/owners/gone' })).json()).toMatchObject({ id: 'gone' });
    expect((await as(gone.owner, { url: '/api/v1/stores' })).statusCode).toBe(401);
    expect((await as(t.adminKey, { url: '/api/v1/owners/gone' })).statusCode).toBe(404);
  });

  it('lets an owner manage its own keys only, shows a key once, and never lets it mint admin keys', async () => {
    t = await makeApp();
    const acme = await ownerWithKeys('acme');
    const other = await ownerWithKeys('other');
    const made = await as(acme.owner, { method: 'POST', url: '/api/v1/keys', payload: { name: 'ci', role: 'viewer' } });
    expect(made.statusCode).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const { id, key } = made.json();
    const listed = (await as(acme.owner, { url: '/api/v1/keys' })).json().items;
    expect(listed.map((k: { ownerId: string }) => k.ownerId)).toEqual(['acme', 'acme', 'acme']);
    expect(JSON.stringify(listed)).not.toContain(key);
    expect((await as(acme.owner, { method: 'POST', url: '/api/v1/keys', payload: { name: 'x', role: 'admin' } })).statusCode).toBe(403);
    expect((await as(acme.viewer, { method: 'POST', url: '/api/v1/keys', payload: { name: 'x', role: 'viewer' } })).statusCode).toBe(403);
    const otherKeyId = (await as(other.owner, { url: '/api/v1/keys' })).json().items[0].id;
    expect((await as(acme.owner, { method: 'DELETE', url: `/api/v1/keys/${otherKeyId}` })).json()).toMatchObject({ status: 404 });
    expect((await as(acme.owner, { method: 'DELETE', url: `/api/v1/keys/${id}` })).json().revokedAt).not.toBeNull();
    expect((await as(key, { url: '/api/v1/stores' })).statusCode).toBe(401);
    expect((await as(t.adminKey, { method: 'POST', url: '/api/v1/keys', payload: { name: 'x', role: 'owner' } })).json()).toMatchObject({ code: 'OWNER_REQUIRED' });
  });

  it('shows each owner only the audit entries for it, and admins all of them', async () => {
    t = await makeApp();
    const acme = await ownerWithKeys('acme');
    const other = await ownerWithKeys('other');
    await as(acme.owner, { method: 'POST', url: '/api/v1/stores', payload: validStore({ name: 'acme-one' }) });
    await as(other.owner, { method: 'POST', url: '/api/v1/stores', payload: validStore({ name: 'other-one' }) });
    const owners = (key: string) => as(key, { url: '/api/v1/audit?limit=200' }).then((r) => r.json().items.map((a: { ownerId: string | null }) => a.ownerId));
    expect(new Set(await owners(acme.viewer))).toEqual(new Set(['acme']));
    expect(new Set(await owners(other.viewer))).toEqual(new Set(['other']));
    expect(new Set(await owners(t.adminKey))).toEqual(new Set(['acme', 'other']));
  });

  it('counts stores per owner and status in /metrics', async () => {
    t = await makeApp();
    const acme = await ownerWithKeys('acme');
    await as(acme.owner, { method: 'POST', url: '/api/v1/stores', payload: validStore() });
    const text = (await t.app.inject({ url: '/metrics' })).body;
    expect(text).toContain('store_platform_owner_stores{owner="acme",status="Pending"} 1');
  });
});

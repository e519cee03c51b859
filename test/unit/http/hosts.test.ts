import { afterEach, describe, expect, it } from 'vitest';
import { StoresRepo } from '../../../src/db/repos/stores-repo.js';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const create = (t: TestApp, body: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: body });

describe('store hosts', () => {
  it('fails with 409 HOST_TAKEN when a custom domain is already a live store\'s host, and frees it once that store is Deleted', async () => {
    t = await makeApp();
    const first = await create(t, validStore({ name: 'first', customDomain: 'shop.example.com' }));
    expect(first.statusCode).toBe(202);
    const res = await create(t, validStore({ name: 'second', customDomain: 'SHOP.example.com' }));
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'HOST_TAKEN', status: 409 });
    t.provisioner.setStatus(first.json().id, 'Deleted');
    expect((await create(t, validStore({ name: 'second', customDomain: 'shop.example.com' }))).statusCode).toBe(202);
  });

  it('fails with 409 HOST_TAKEN when a store\'s default host is already served by a live store', async () => {
    t = await makeApp();
    // a store from before the domain rules that took another name's default host as its custom domain
    expect((await create(t, validStore({ name: 'legacy', customDomain: 'legacy-shop.example.com' }))).statusCode).toBe(202);
    t.db.$client.exec(`update stores set custom_domain = 'beta.127.0.0.1.nip.io', host = 'beta.127.0.0.1.nip.io'`);
    const res = await create(t, validStore({ name: 'beta' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('HOST_TAKEN');
  });

  it.each([
    ['a future store\'s default host', 'victim.127.0.0.1.nip.io'],
    ['a deeper name under the base domain', 'a.b.127.0.0.1.nip.io'],
    ['the base domain itself', '127.0.0.1.nip.io'],
    ['the platform\'s own host', 'platform.example.com'],
    ['the API server', 'kubernetes.default.svc'],
    ['a service name', 'mysql.store-acme.svc'],
    ['a cluster-local name', 'wordpress.store-acme.svc.cluster.local'],
    ['the metadata host', 'metadata.google.internal'],
    ['loopback', 'localhost.localhost'],
  ])('fails with 422 DOMAIN_NOT_ALLOWED for %s', async (_what, customDomain) => {
    t = await makeApp();
    const res = await create(t, validStore({ name: 'claimant', customDomain }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'DOMAIN_NOT_ALLOWED', status: 422 });
    expect(t.provisioner.stores.list({ limit: 10 }).items).toHaveLength(0);
  });

  it.each([
    ['an IPv4 address', '10.0.0.1'],
    ['the metadata IP', '169.254.169.254'],
    ['an IPv6 address', '[::1]'],
    ['a bare IPv6 address', 'fd00::1'],
    ['a label over 63 characters', `${'a'.repeat(64)}.example.com`],
    ['a name over 253 characters', `${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.com`],
    ['a trailing dot', 'shop.example.com.'],
    ['an empty label', 'shop..example.com'],
    ['a single label', 'localhost'],
    ['unicode', 'shöp.example.com'],
    ['a punycode look-alike with a port', 'shop.example.com:8080'],
    ['a path', 'shop.example.com/admin'],
  ])('fails with 400 for %s', async (_what, customDomain) => {
    t = await makeApp();
    const res = await create(t, validStore({ name: 'claimant', customDomain }));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('accepts a long but valid name (63-character labels) and the store\'s own default host', async () => {
    t = await makeApp();
    expect((await create(t, validStore({ name: 'longone', customDomain: `${'a'.repeat(63)}.example.com` }))).statusCode).toBe(202);
    expect((await create(t, validStore({ name: 'own', customDomain: 'own.127.0.0.1.nip.io' }))).statusCode).toBe(202);
  });

  it('lets exactly one of many parallel creates claim one domain', async () => {
    t = await makeApp();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => create(t, validStore({ name: `racer-${i}`, customDomain: 'contested.example.com' }))),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 202)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'HOST_TAKEN')).toBe(true);
    expect(codes).toHaveLength(12);
  });

  it('fails with HOST_TAKEN from the database index even when an insert skips the transaction\'s check', async () => {
    t = await makeApp();
    const repo = new StoresRepo(t.db);
    expect((await create(t, validStore({ name: 'holder', customDomain: 'held.example.com' }))).statusCode).toBe(202);
    const row = repo.list({ limit: 1 }).items[0]!;
    const { id: _id, version: _v, ...rest } = row;
    expect(() => repo.insert({ ...rest, id: 'other', slug: 'other' })).toThrow(expect.objectContaining({ code: 'HOST_TAKEN' }));
  });
});

describe('store titles', () => {
  it.each([
    ['NUL', 'Acme\u0000Goods'],
    ['a newline', 'Acme\nGoods'],
    ['escape', 'Acme\u001b[31m'],
    ['DEL', 'Acme\u007f'],
    ['a C1 control', 'Acme\u0085'],
    ['a line separator', 'Acme\u2028Goods'],
    ['a bidi override', 'Acme\u202Esdoog'],
  ])('fails with 400 for a title with %s', async (_what, title) => {
    t = await makeApp();
    const res = await create(t, validStore({ title }));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('accepts printable unicode titles, and ones that look like options (they reach wp-cli only as values)', async () => {
    t = await makeApp();
    expect((await create(t, validStore({ name: 'uni', title: 'Café Müller 🍰 — Ünïcode' }))).statusCode).toBe(202);
    expect((await create(t, validStore({ name: 'opt', title: '--exec=system("id");' }))).statusCode).toBe(202);
  });
});

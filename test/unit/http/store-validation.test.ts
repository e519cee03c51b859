import { afterEach, describe, expect, it } from 'vitest';
import { CreateStoreSpec, defaultTitle, reservedNamespaceViolation, DEFAULT_RESERVED_NAMESPACES } from '../../../constructs/index.js';
import type { Config } from '../../../src/config.js';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';

// What POST /stores refuses in the spec itself: currencies, emails, names, titles and IP hosts.

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const create = (t: TestApp, body: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: body });

async function expectRefused(body: object, field: string, config: Partial<Config> = {}) {
  t = await makeApp(config);
  const res = await create(t, body);
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().code).toBe('VALIDATION_FAILED');
  expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([`/${field}`]);
  expect(t.provisioner.calls).toEqual([]);
}

describe('currency', () => {
  it.each(['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'INR', 'BRL', 'ZAR'])('accepts the ISO 4217 code %s', async (currency) => {
    t = await makeApp();
    const res = await create(t, validStore({ currency }));
    expect(res.statusCode).toBe(202);
    expect(res.json().currency).toBe(currency);
  });

  it.each([
    ['three letters that are no currency', 'ABC'],
    ['another made-up code', 'QQQ'],
    ['the no-currency code', 'XXX'],
    ['a metal', 'XAU'],
    ['the testing code', 'XTS'],
    ['lowercase', 'usd'],
    ['four letters', 'EURO'],
    ['a symbol', '$'],
  ])('fails with 400 for %s', async (_what, currency) => {
    await expectRefused(validStore({ currency }), 'currency');
  });

  it('checks against every code the runtime knows, not a list of our own', () => {
    for (const currency of Intl.supportedValuesOf('currency')) expect(CreateStoreSpec.safeParse(validStore({ currency })).success, currency).toBe(true);
  });
});

describe('admin email', () => {
  const emailOf = (length: number) => `${'a'.repeat(length - '@example.com'.length)}@example.com`;

  it('accepts an email of 100 characters, WordPress\'s user_email column', async () => {
    t = await makeApp();
    expect(emailOf(100)).toHaveLength(100);
    expect((await create(t, validStore({ adminEmail: emailOf(100) }))).statusCode).toBe(202);
  });

  it.each([101, 255, 1000])('fails with 400 for an email of %i characters', async (length) => {
    await expectRefused(validStore({ adminEmail: emailOf(length) }), 'adminEmail');
  });
});

describe('reserved names', () => {
  it.each([
    ['the platform\'s own namespace', 'platform'],
    ['a namespace under the platform\'s prefix', 'platform-dev'],
  ])('fails with 422 STORE_NAME_RESERVED for %s', async (_what, name) => {
    t = await makeApp();
    const res = await create(t, validStore({ name }));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'STORE_NAME_RESERVED', status: 422 });
    expect(res.json().detail).toContain(`store-${name}`);
    expect(t.provisioner.calls).toEqual([]);
  });

  it('fails with 422 for the ingress controller\'s namespace and for RESERVED_NAMESPACES, which replaces the defaults', async () => {
    t = await makeApp({ INGRESS_NAMESPACE: 'store-ingress', RESERVED_NAMESPACES: 'store-monitoring,store-ops-*' });
    for (const name of ['ingress', 'monitoring', 'ops-eu']) {
      const res = await create(t, validStore({ name }));
      expect(res.json().code, name).toBe('STORE_NAME_RESERVED');
    }
    expect((await create(t, validStore({ name: 'platform' }))).statusCode).toBe(202);
  });

  it('accepts names that only start like a reserved one', async () => {
    t = await makeApp();
    for (const name of ['platforms', 'kube-shop', 'default-shop', 'my-platform']) expect((await create(t, validStore({ name }))).statusCode, name).toBe(202);
  });

  it('checks the namespace a name gives, so cluster namespaces are covered whatever the rule', () => {
    expect(reservedNamespaceViolation('acme', ['store-acme'])).toMatch(/'store-acme', which is reserved/);
    expect(reservedNamespaceViolation('acme', ['store-*'])).toBeDefined();
    expect(reservedNamespaceViolation('acme', DEFAULT_RESERVED_NAMESPACES)).toBeUndefined();
    expect(DEFAULT_RESERVED_NAMESPACES).toEqual(expect.arrayContaining(['default', 'kube-*']));
  });
});

describe('title', () => {
  it('defaults the title from the name when it is left out', async () => {
    t = await makeApp();
    const { title: _title, ...spec } = validStore({ name: 'acme-shop-2' });
    const res = await create(t, spec);
    expect(res.statusCode).toBe(202);
    expect(res.json().title).toBe('Acme Shop 2');
  });

  it.each([['acme', 'Acme'], ['acme-shop', 'Acme Shop'], ['a1-b2', 'A1 B2'], ['7eleven', '7eleven']])('turns %s into %s', (name, title) => {
    expect(defaultTitle(name)).toBe(title);
  });

  it('fails with 400 for a title that is there but blank', async () => {
    await expectRefused(validStore({ title: '   ' }), 'title');
  });
});

describe('custom domains that are IP addresses', () => {
  it.each([
    ['dotted decimal', '192.168.0.1'],
    ['short dotted', '127.1'],
    ['a hex last part', '1.0x7f'],
    ['all hex', '0x7f.0x0.0x0.0x1'],
    ['octal', '0177.0.0.1'],
    ['an IPv4-mapped IPv6 address', '::ffff:127.0.0.1'],
    ['a single number', '2130706433'],
  ])('fails with 400 for %s', async (_what, customDomain) => {
    await expectRefused(validStore({ customDomain }), 'customDomain');
  });

  it('accepts names whose last label only starts like a number', async () => {
    t = await makeApp();
    expect((await create(t, validStore({ name: 'hexish', customDomain: 'shop.0xide' }))).statusCode).toBe(202);
    expect((await create(t, validStore({ name: 'digits', customDomain: '1.example.com' }))).statusCode).toBe(202);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, engineAvailable, engines, namespaceFor, StoreSpec, storeHost } from '../../../constructs/index.js';
import { aSpec } from './fixtures.js';

describe('StoreSpec', () => {
  it('accepts a valid spec and defaults the currency to USD', () => {
    const { currency: _c, ...rest } = aSpec();
    expect(StoreSpec.parse(rest).currency).toBe('USD');
  });

  it.each(['ab', 'a'.repeat(41), 'Shop', 'my_shop', '-shop', 'shop-', 'shöp'])('fails on name %j', (name) => {
    expect(StoreSpec.safeParse(aSpec({ name })).success).toBe(false);
  });

  it.each(['abc', 'my-shop', 'a'.repeat(40), '123'])('accepts name %j', (name) => {
    expect(StoreSpec.safeParse(aSpec({ name })).success).toBe(true);
  });

  it('fails on unknown fields (strict)', () => {
    expect(StoreSpec.safeParse({ ...aSpec(), replicas: 3 }).success).toBe(false);
  });

  it('fails on a bad currency, email, plan, engine or custom domain', () => {
    expect(StoreSpec.safeParse(aSpec({ currency: 'usd' })).success).toBe(false);
    expect(StoreSpec.safeParse(aSpec({ currency: 'EURO' })).success).toBe(false);
    expect(StoreSpec.safeParse(aSpec({ adminEmail: 'nope' })).success).toBe(false);
    expect(StoreSpec.safeParse({ ...aSpec(), plan: 'huge' }).success).toBe(false);
    expect(StoreSpec.safeParse({ ...aSpec(), engine: 'magento' }).success).toBe(false);
    expect(StoreSpec.safeParse(aSpec({ customDomain: 'localhost' })).success).toBe(false);
    expect(StoreSpec.safeParse(aSpec({ customDomain: 'http://x.com' })).success).toBe(false);
  });

  it('derives the namespace and host', () => {
    expect(namespaceFor('acme')).toBe('store-acme');
    expect(storeHost(aSpec(), DEFAULT_PLATFORM_SETTINGS)).toBe('acme.127.0.0.1.nip.io');
    expect(storeHost(aSpec({ customDomain: 'shop.acme.com' }), DEFAULT_PLATFORM_SETTINGS)).toBe('shop.acme.com');
  });
});

describe('engines', () => {
  it('offers woocommerce and keeps medusa as an outline', () => {
    expect(engineAvailable('woocommerce')).toBe(true);
    expect(engineAvailable('medusa')).toBe(false);
    expect(engineAvailable('toString')).toBe(false);
    expect(engines.medusa.outline?.map((s) => s.name)).toEqual(expect.arrayContaining(['postgres', 'redis', 'medusa-server']));
  });
});

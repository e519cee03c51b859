import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, ENGINES, engineAvailable, engines, namespaceFor, PLANS, planTable, StoreSpec, storeHost, synthesizeStore } from '../../../constructs/index.js';
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
  it('offers every engine the spec names, and nothing else', () => {
    for (const e of ENGINES) expect(engineAvailable(e), e).toBe(true);
    expect(engineAvailable('toString')).toBe(false);
    expect(engineAvailable('shopify')).toBe(false);
  });

  it('names, as its components on every plan, exactly the Deployments and StatefulSets that plan runs', () => {
    for (const [name, e] of Object.entries(engines)) {
      if (e === undefined) continue;
      for (const plan of PLANS) {
        const objects = synthesizeStore({ spec: aSpec({ engine: name as 'woocommerce', plan }), secrets: e.generateSecrets((n) => 'r'.repeat(n)), platform: DEFAULT_PLATFORM_SETTINGS })
          .flatMap((s) => s.objects);
        const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
        const components = Object.values(e.components(planTable[plan]));
        expect(components.map((c) => `${c.kind}/${c.name}`).sort(), `${name} ${plan}`).toEqual(workloads.map((w) => `${w.kind}/${w.metadata.name}`).sort());
        for (const c of components) {
          const w = workloads.find((o) => o.metadata.name === c.name) as unknown as { spec: { template: { spec: { containers: { name: string }[] } } } };
          expect(w.spec.template.spec.containers.map((x) => x.name), `${name} ${plan} ${c.name}`).toContain(c.container);
        }
      }
    }
  });

  it('gives every registered engine the whole seam the runtime uses', () => {
    for (const [name, e] of Object.entries(engines)) {
      if (e === undefined) continue;
      const steps = synthesizeStore({ spec: aSpec({ engine: name as 'woocommerce' }), secrets: e.generateSecrets((n) => 'r'.repeat(n)), platform: DEFAULT_PLATFORM_SETTINGS });
      expect(steps.map((s) => s.name)).toContain(e.checkStep);
      expect(steps.at(-1)!.name).toBe(e.checkStep);
      const secretNames = steps.flatMap((s) => s.objects).filter((o) => o.kind === 'Secret').map((o) => o.metadata.name);
      expect(secretNames).toContain(e.admin.secretName);
      const job = e.resetPasswordJob('shop', { spec: { name: 'shop', plan: 'small' }, platform: DEFAULT_PLATFORM_SETTINGS, jobName: `${e.resetJobPrefix}1` });
      expect(job.kind).toBe('Job');
      expect(job.metadata.name.startsWith(e.resetJobPrefix)).toBe(true);
      expect(e.admin.path).toMatch(/^\/.*\/$/);
    }
  });
});

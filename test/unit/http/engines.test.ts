import { afterEach, describe, expect, it } from 'vitest';
import { componentsFor } from '../../../src/provisioner/operations.js';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';

// What a client learns of the engine registry: the engines and their plans, and each store's
// workloads (the names restart and logs accept), so the dashboard names no engine itself.

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

describe('GET /api/v1/engines', () => {
  it('lists both engines with their titles, plans and admin path to any key, and nothing without one', async () => {
    t = await makeApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/engines' })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/engines', headers: bearer(t.viewerKey) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        {
          name: 'woocommerce', title: 'WooCommerce', plans: ['small', 'standard', 'large'], adminPath: '/wp-admin/', adminTitle: 'WordPress administrator',
          currentVersion: '7.0.2-wc11.2.0', versions: [{ version: '7.0.2-wc11.2.0', upgradesFrom: [] }],
        },
        {
          name: 'medusa', title: 'Medusa', plans: ['small', 'standard', 'large'], adminPath: '/app/', adminTitle: 'Medusa admin user',
          currentVersion: '2.21.2', versions: [{ version: '2.21.2', upgradesFrom: [] }],
        },
      ],
    });
  });

  it('lists the release catalogue: the base release first with the paths the catalogue gives it, then the others, and the current one', async () => {
    const releases = {
      medusa: {
        current: '2.21.3',
        releases: [
          { version: '2.21.1', images: { medusa: 'registry.example/medusa:2.21.1-r1' } },
          { version: '2.21.2', upgradesFrom: ['2.21.1'] },
          { version: '2.21.3', images: { medusa: 'registry.example/medusa:2.21.3-r1' }, upgradesFrom: ['2.21.1', '2.21.2'] },
        ],
      },
    };
    t = await makeApp({ STORE_RELEASES: releases });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/engines', headers: bearer(t.viewerKey) });
    const medusa = (res.json() as { items: { name: string; currentVersion: string; versions: unknown[] }[] }).items.find((e) => e.name === 'medusa')!;
    expect(medusa.currentVersion).toBe('2.21.3');
    expect(medusa.versions).toEqual([
      { version: '2.21.2', upgradesFrom: ['2.21.1'] },
      { version: '2.21.1', upgradesFrom: [] },
      { version: '2.21.3', upgradesFrom: ['2.21.1', '2.21.2'] },
    ]);
  });
});

describe('a store\'s components', () => {
  const created = async (spec: Record<string, unknown>): Promise<string[]> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore(spec) });
    expect(res.statusCode).toBe(202);
    return (res.json() as { components: string[] }).components;
  };

  it('are its engine\'s workloads for its plan: the Medusa worker only where the plan splits it', async () => {
    t = await makeApp();
    expect(await created({ name: 'wc-shop' })).toEqual(['mysql', 'wordpress']);
    expect(await created({ name: 'md-small', engine: 'medusa', plan: 'small' })).toEqual(['postgres', 'redis', 'medusa']);
    expect(await created({ name: 'md-standard', engine: 'medusa', plan: 'standard' })).toEqual(['postgres', 'redis', 'medusa', 'worker']);
  });

  it('are what restart and logs accept: another plan\'s component is refused naming the store\'s own', () => {
    expect(() => componentsFor({ engine: 'medusa', plan: 'small' }, 'worker')).toThrow(/unknown component 'worker'; expected one of: postgres, redis, medusa$/);
    expect(componentsFor({ engine: 'medusa', plan: 'large' }, 'worker')).toEqual([{ kind: 'Deployment', name: 'medusa-worker', container: 'medusa' }]);
  });
});

import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditRepo } from '../../../src/db/repos/audit-repo.js';
import { waveSizes } from '../../../src/provisioner/rollouts.js';
import { bearer, createReadyStore, makeApp, type TestApp } from './helpers.js';

// Rollouts over the API with the real rollout runner on the fake engine (releases 1.0 and 2.0): the
// waves, the failure budget and halt, pause, resume and abort, the refusals, and who may act. The same
// runner over real upgrades on the simulated cluster: test/integration/engine-rollout.test.ts.
let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

// a fleet is created in one go
const LIMITS = { RATE_LIMIT_CREATE_PER_MINUTE: 100, RATE_LIMIT_MUTATION_PER_MINUTE: 100 };

const as = (key: string, req: InjectOptions) => t.app.inject({ ...req, headers: { ...bearer(key), ...req.headers } });
const start = (body: unknown, key = t.adminKey) => as(key, { method: 'POST', url: '/api/v1/rollouts', payload: body as object });
const get = async (id: string) => (await as(t.adminKey, { url: `/api/v1/rollouts/${id}` })).json();

/** Every store the fake engine moved to Upgrading ends: Ready on 2.0, or rolled back (Ready on 1.0) when `fail` names it. */
function finishUpgrades(fail: ReadonlySet<string> = new Set()) {
  for (const s of t.provisioner.stores.listByStatus(['Upgrading'])) {
    t.provisioner.setStatus(s.id, 'Ready', fail.has(s.id) ? { release: s.upgradeFrom, upgradeFrom: null, statusReason: 'Upgrade rolled back to 1.0 (check failed)' } : { upgradeFrom: null });
  }
}

describe('wave sizes', () => {
  it('take counts as given and shares up to that part of the fleet; the last wave takes the rest, empty waves go', () => {
    expect(waveSizes(50, [5, '50%', '100%'])).toEqual([5, 20, 25]);
    expect(waveSizes(10, [1, '50%'])).toEqual([1, 9]);
    expect(waveSizes(3, [1, 1, 1, 1])).toEqual([1, 1, 1]);
    expect(waveSizes(4, ['10%', '20%'])).toEqual([1, 3]);
    expect(waveSizes(4, ['10%', '100%'])).toEqual([1, 3]);
    expect(waveSizes(1, [5, '100%'])).toEqual([1]);
  });
});

describe('rollouts', () => {
  it('upgrades a canary, then the next waves, and succeeds; each store and wave on record, audited', async () => {
    t = await makeApp(LIMITS);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await createReadyStore(t, t.adminKey, `shop-${i}`));
    const res = await start({ engine: 'woocommerce', version: '2.0', waves: [1, '50%', '100%'] });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ status: 'Running', waves: [1, 2, 3], wave: 1, counts: { Pending: 6 } });
    expect(res.headers.location).toBe(`/api/v1/rollouts/${r.id}`);
    await t.provisioner.rollouts.tick();
    expect((await get(r.id)).counts).toMatchObject({ Upgrading: 1, Pending: 5 });
    expect(t.provisioner.stores.get(ids[0]!).status).toBe('Upgrading');
    expect(t.provisioner.stores.get(ids[1]!).status).toBe('Ready');
    for (let wave = 1; wave <= 3; wave++) {
      finishUpgrades();
      await t.provisioner.rollouts.tick(); // records the wave, moves on
      await t.provisioner.rollouts.tick(); // starts the next
    }
    const done = await get(r.id);
    expect(done).toMatchObject({ status: 'Succeeded', counts: { Succeeded: 6 }, failures: 0 });
    expect(done.stores.map((s: { wave: number }) => s.wave)).toEqual([1, 2, 2, 3, 3, 3]);
    for (const id of ids) expect(t.provisioner.stores.get(id).release).toBe('2.0');
    expect(new AuditRepo(t.db).list({ limit: 1 }).items[0]).toMatchObject({ action: 'rollout.create', outcome: 'success' });
  });

  it('halts once more stores failed than the budget allows, starts nothing more, and resumes forgiving those failures', async () => {
    t = await makeApp(LIMITS);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createReadyStore(t, t.adminKey, `shop-${i}`));
    const r = (await start({ engine: 'woocommerce', version: '2.0', waves: [1, 2, 2], maxFailures: 0 })).json();
    await t.provisioner.rollouts.tick();
    finishUpgrades();
    await t.provisioner.rollouts.tick();
    await t.provisioner.rollouts.tick();
    finishUpgrades(new Set([ids[2]!]));
    await t.provisioner.rollouts.tick();
    await t.provisioner.rollouts.tick();
    const halted = await get(r.id);
    expect(halted).toMatchObject({ status: 'Halted', wave: 2, failures: 1, counts: { Succeeded: 2, RolledBack: 1, Pending: 2 } });
    expect(halted.statusReason).toBe(`Halted in wave 2: 1 stores failed, more than the 0 allowed (${ids[2]})`);
    expect(halted.stores[2]).toMatchObject({ storeId: ids[2], status: 'RolledBack', reason: 'Upgrade rolled back to 1.0 (check failed)' });
    await t.provisioner.rollouts.tick();
    expect(t.provisioner.stores.get(ids[3]!).status).toBe('Ready'); // the third wave never started
    const resumed = await as(t.adminKey, { method: 'POST', url: `/api/v1/rollouts/${r.id}/resume` });
    expect(resumed.json()).toMatchObject({ status: 'Running', failures: 0 });
    await t.provisioner.rollouts.tick();
    await t.provisioner.rollouts.tick();
    finishUpgrades();
    await t.provisioner.rollouts.tick();
    expect(await get(r.id)).toMatchObject({ status: 'Succeeded', counts: { Succeeded: 4, RolledBack: 1 } });
  });

  it('pauses (nothing new starts), resumes, and aborts (the rest Skipped); refuses what the status does not allow', async () => {
    t = await makeApp(LIMITS);
    for (let i = 0; i < 3; i++) await createReadyStore(t, t.adminKey, `shop-${i}`);
    const r = (await start({ engine: 'woocommerce', version: '2.0', waves: [1, 1, 1] })).json();
    await t.provisioner.rollouts.tick();
    expect((await as(t.adminKey, { method: 'POST', url: `/api/v1/rollouts/${r.id}/pause` })).json().status).toBe('Paused');
    finishUpgrades();
    await t.provisioner.rollouts.tick();
    await t.provisioner.rollouts.tick();
    expect((await get(r.id)).counts).toMatchObject({ Succeeded: 1, Pending: 2 });
    const aborted = (await as(t.adminKey, { method: 'POST', url: `/api/v1/rollouts/${r.id}/abort` })).json();
    expect(aborted).toMatchObject({ status: 'Aborted', counts: { Succeeded: 1, Skipped: 2 } });
    expect(aborted.stores[1].reason).toMatch(/^rollout aborted by /);
    const refused = await as(t.adminKey, { method: 'POST', url: `/api/v1/rollouts/${r.id}/resume` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'ILLEGAL_TRANSITION', detail: 'only a Paused or Halted rollout can be resumed (status is Aborted)' });
  });

  it('refuses with 409: a store already in an open rollout, no store to move, a release not in the catalogue', async () => {
    t = await makeApp(LIMITS);
    await createReadyStore(t, t.adminKey, 'shop-a');
    await createReadyStore(t, t.adminKey, 'shop-b');
    // shop-b waits for the second wave: another rollout may not take it
    expect((await start({ engine: 'woocommerce', version: '2.0', waves: [1, 1] })).statusCode).toBe(201);
    expect((await start({ engine: 'woocommerce', version: '2.0' })).json()).toMatchObject({ status: 409, code: 'ROLLOUT_CONFLICT' });
    expect((await start({ engine: 'medusa', version: '2.0' })).json()).toMatchObject({ status: 409, code: 'NO_STORES_SELECTED' });
    expect((await start({ engine: 'woocommerce', version: '9.9' })).json()).toMatchObject({ status: 409, code: 'VERSION_NOT_ALLOWED' });
    expect((await start({ engine: 'woocommerce', version: '2.0', waves: ['150%'] })).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await as(t.adminKey, { url: '/api/v1/rollouts/nope' })).json()).toMatchObject({ status: 404 });
  });

  it('is for platform admins only: viewers and owners get 403', async () => {
    t = await makeApp(LIMITS);
    await createReadyStore(t, t.adminKey, 'shop-a');
    expect((await start({ engine: 'woocommerce', version: '2.0' }, t.viewerKey)).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await as(t.viewerKey, { url: '/api/v1/rollouts' })).statusCode).toBe(403);
    expect((await as(t.adminKey, { url: '/api/v1/rollouts' })).json()).toEqual({ items: [] });
  });
});

describe('rollout and upgrade metrics', () => {
  it('count the stores of each open rollout by their status in it, and upgrades by outcome', async () => {
    t = await makeApp(LIMITS);
    const id = await createReadyStore(t, t.adminKey, 'shop-a');
    await createReadyStore(t, t.adminKey, 'shop-b');
    const r = (await start({ engine: 'woocommerce', version: '2.0', waves: [1, 1] })).json();
    await t.provisioner.rollouts.tick();
    t.provisioner.step(id, 'upgrade', 'succeeded', 1_000);
    t.provisioner.step(id, 'upgrade', 'failed', 1_000);
    t.provisioner.step(id, 'upgrade-rollback', 'failed', 1_000);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain(`store_platform_rollout_stores{rollout="${r.id}",rollout_status="Running",status="Upgrading"} 1`);
    expect(text).toContain(`store_platform_rollout_stores{rollout="${r.id}",rollout_status="Running",status="Pending"} 1`);
    expect(text).toContain('store_platform_upgrades_total{outcome="upgraded"} 1');
    expect(text).toContain('store_platform_upgrades_total{outcome="failed"} 1');
    expect(text).toContain('store_platform_upgrades_total{outcome="rollback-failed"} 1');
    // upgrades are not provisioning steps
    expect(text).not.toMatch(/store_platform_provisioning_step_duration_seconds_count\{step="upgrade/);
    await as(t.adminKey, { method: 'POST', url: `/api/v1/rollouts/${r.id}/abort` });
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).body).not.toContain(`rollout="${r.id}"`);
  });
});

describe('the rollout stream', () => {
  it('sends the rollout at once and on every change, and ends when it has succeeded', async () => {
    t = await makeApp(LIMITS);
    const id = await createReadyStore(t, t.adminKey, 'shop-a');
    const r = (await start({ engine: 'woocommerce', version: '2.0', waves: [1] })).json();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/api/v1/rollouts/${r.id}/stream`, { headers: bearer(t.adminKey) });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const read = async (until: RegExp) => {
      while (!until.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await read(/event: rollout\n/);
    await t.provisioner.rollouts.tick();
    t.provisioner.setStatus(id, 'Ready', { upgradeFrom: null });
    await t.provisioner.rollouts.tick();
    await t.provisioner.rollouts.tick();
    await read(/event: end\n/);
    const views = [...text.matchAll(/event: rollout\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as { status: string; counts: Record<string, number> });
    expect(views.at(-1)).toMatchObject({ status: 'Succeeded', counts: { Succeeded: 1 } });
    expect(views.some((v) => v.counts.Upgrading === 1)).toBe(true);
    expect(text).toContain('event: end\ndata: {"status":"Succeeded"}');
    expect((await fetch(`${address}/api/v1/rollouts/${r.id}/stream`, { headers: bearer(t.viewerKey) })).status).toBe(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, type PlatformSettings } from '../../constructs/index.js';
import { UNAVAILABLE_IMAGE_REGISTRY } from '../../infra/cluster/kwok-config.js';
import { desiredStateOf, releaseOfRow } from '../../src/manifests/desired.js';
import type { Provisioner, StoreRow } from '../../src/provisioner/index.js';
import { harness, waitForStatus, type Harness } from './engine-harness.js';

// A fleet rollout over 50 Medusa stores on the simulated cluster, 2.21.1 -> 2.21.2 in waves of 5, 20
// and 25 with a failure budget of one. Two stores of the second wave are made to fail: the engine's
// desired-state seam gives them, on 2.21.2 only, an image that never starts, so their upgrade fails
// and rolls back. The rollout halts after that wave with the right state for every store; then it
// is resumed, and the engine is stopped mid-wave and replaced by a new one on the same database
// file (as a restart after kill -9 finds it), which finishes the rollout.

const STORES = 50;
const PREVIOUS_IMAGE = 'store-platform/medusa:2.21.1-r1';
const platform: PlatformSettings = {
  ...DEFAULT_PLATFORM_SETTINGS,
  releases: { medusa: { current: '2.21.1', releases: [{ version: '2.21.1', images: { medusa: PREVIOUS_IMAGE } }, { version: '2.21.2', upgradesFrom: ['2.21.1'] }] } },
};
const broken: PlatformSettings = { ...platform, images: { ...platform.images, medusa: `${UNAVAILABLE_IMAGE_REGISTRY}medusa:2.21.2` } };
const failing = new Set<string>();
const seams = {
  // the upgrade walks the store on 2.21.2 (its rollback on 2.21.1): only that walk gets the broken image
  desired: (row: StoreRow) => desiredStateOf(row, failing.has(row.slug) && releaseOfRow(row, platform) === '2.21.2' && row.upgradeFrom !== null ? broken : platform),
  rolloutTicks: { tickMs: 200 },
};
const options = { platform, concurrency: 10, stepTimeouts: { 'store-setup': 20 } };

let h: Harness;
let p: Provisioner;
let stores: StoreRow[] = [];

beforeAll(async () => {
  h = harness();
  p = h.engine(options, seams).p;
  void p.start();
  const created = [];
  for (let i = 0; i < STORES; i++) created.push(await p.create(h.spec(h.name(`ro${String(i).padStart(2, '0')}`), { engine: 'medusa' }), { actor: 'test' }));
  stores = await Promise.all(created.map((c) => waitForStatus(p, c.id, ['Ready', 'Failed'], 600_000)));
  for (const s of stores) expect(s.status, `${s.slug}: ${s.statusReason}`).toBe('Ready');
  // two stores of the second wave (positions 5..24 in creation order)
  failing.add(stores[8]!.slug).add(stores[17]!.slug);
}, 900_000);

afterAll(async () => {
  await h?.cleanup();
});

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a rollout over 50 stores', () => {
  it('halts after the wave whose failures spend the budget; every store says where it stands', async () => {
    const r = p.startRollout({ engine: 'medusa', version: '2.21.2', selector: {}, waves: [5, '50%', '100%'], maxFailures: 1, pauseSeconds: 0 }, 'test');
    expect(r.waveSizes).toEqual([5, 20, 25]);
    const halted = await until('halt', () => (p.rollout(r.id).rollout.status === 'Halted' ? p.rollout(r.id) : undefined));
    const byStore = new Map(halted.stores.map((m) => [m.storeId, m]));
    const at = (i: number) => byStore.get(stores[i]!.id)!;
    expect(halted.rollout.statusReason).toMatch(/^Halted in wave 2: 2 stores failed, more than the 1 allowed/);
    for (let i = 0; i < 5; i++) expect(at(i), stores[i]!.slug).toMatchObject({ wave: 0, status: 'Succeeded' });
    for (let i = 5; i < 25; i++) {
      expect(at(i).wave).toBe(1);
      expect(at(i).status, stores[i]!.slug).toBe(i === 8 || i === 17 ? 'RolledBack' : 'Succeeded');
    }
    for (let i = 25; i < STORES; i++) expect(at(i), stores[i]!.slug).toMatchObject({ wave: 2, status: 'Pending' });
    expect(at(8).reason).toMatch(/^Upgrade rolled back to 2\.21\.1 \(medusa 2\.21\.2 failed at store-setup/);
    for (let i = 0; i < STORES; i++) {
      const row = p.get(stores[i]!.id);
      expect(row.status).toBe('Ready');
      expect(p.releaseOf(row), row.slug).toBe(i < 25 && i !== 8 && i !== 17 ? '2.21.2' : '2.21.1');
    }
  }, 900_000);

  it('resumes, survives the engine being replaced mid-wave, and finishes', async () => {
    const id = p.listRollouts(1)[0]!.id;
    p.rolloutAction(id, 'resume', 'test');
    // some of the last wave under way, then the engine goes
    await until('wave 3 under way', () => (p.rollout(id).stores.filter((m) => m.wave === 2 && m.status === 'Upgrading').length >= 5 ? true : undefined));
    await p.stop(2_000);
    const { rollout: left, stores: members } = p.rollout(id);
    expect(left.status).toBe('Running');
    expect(members.filter((m) => m.wave === 2 && m.status !== 'Succeeded').length).toBeGreaterThan(0);
    const next = h.engine(options, seams).p;
    void next.start();
    const done = await until('rollout to end', () => (['Succeeded', 'Halted'].includes(next.rollout(id).rollout.status) ? next.rollout(id) : undefined));
    expect(done.rollout.status, done.rollout.statusReason ?? '').toBe('Succeeded');
    for (let i = 25; i < STORES; i++) {
      expect(done.stores.find((m) => m.storeId === stores[i]!.id)?.status, stores[i]!.slug).toBe('Succeeded');
      expect(next.get(stores[i]!.id).status).toBe('Ready');
      expect(next.releaseOf(next.get(stores[i]!.id))).toBe('2.21.2');
    }
  }, 900_000);
});

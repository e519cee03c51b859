import type { V1Deployment, V1Job } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, namespaceFor, type PlatformSettings } from '../../constructs/index.js';
import { UNAVAILABLE_IMAGE_REGISTRY } from '../../infra/cluster/kwok-config.js';
import { VersionNotAllowedError } from '../../src/errors.js';
import type { Provisioner, StoreRow } from '../../src/provisioner/index.js';
import { harness, waitForEvent, waitForStatus, type Harness } from './engine-harness.js';

// Upgrades of Medusa stores on the simulated cluster, between releases of a catalogue: 2.21.1 (another
// image), 2.21.2 (the platform's images) and a broken 2.21.3 whose image never starts. What the engine
// leaves on the cluster after an upgrade (the new images, its Jobs run again), the rollback of a failed
// one (the old images back, its check passed), a refused path, and an engine restart mid-upgrade. No
// backup target here: the rollback with a pre-upgrade backup runs in api-backups.test.ts, and a real
// store's migration on the real node (test/real/upgrade.test.ts).

const PREVIOUS_IMAGE = 'store-platform/medusa:2.21.1-r1';
const BROKEN_IMAGE = `${UNAVAILABLE_IMAGE_REGISTRY}medusa:2.21.3`;
const platform: PlatformSettings = {
  ...DEFAULT_PLATFORM_SETTINGS,
  releases: {
    medusa: {
      current: '2.21.1',
      releases: [
        { version: '2.21.1', images: { medusa: PREVIOUS_IMAGE } },
        { version: '2.21.2', upgradesFrom: ['2.21.1'] },
        { version: '2.21.3', images: { medusa: BROKEN_IMAGE }, upgradesFrom: ['2.21.1'] },
      ],
    },
  },
};
// the broken release's setup Job never starts: fail it fast; kwok completes a good one in a few seconds
const options = { platform, stepTimeouts: { 'store-setup': 20 } };

let h: Harness;
let p: Provisioner;

beforeAll(() => {
  h = harness();
  p = h.engine(options).p;
  void p.start();
});

afterAll(async () => {
  await h?.cleanup();
});

async function readyStore(prefix: string, engine: Provisioner = p): Promise<StoreRow> {
  const created = await engine.create(h.spec(h.name(prefix), { engine: 'medusa' }), { actor: 'test' });
  const row = await waitForStatus(engine, created.id, ['Ready', 'Failed']);
  expect(row.status, row.statusReason ?? '').toBe('Ready');
  return row;
}

/** The images of the store's Deployments and of its Jobs, with each Job's uid (a Job run again is a new object). */
async function clusterImages(row: StoreRow) {
  const namespace = namespaceFor(row.slug);
  const deployments = (await h.kube.apps.listNamespacedDeployment({ namespace })).items as V1Deployment[];
  const jobs = (await h.kube.batch.listNamespacedJob({ namespace })).items as V1Job[];
  const image = (o: V1Deployment | V1Job) => o.spec?.template.spec?.containers[0]?.image;
  return {
    medusa: image(deployments.find((d) => d.metadata?.name === 'medusa')!),
    jobs: Object.fromEntries(jobs.map((j) => [j.metadata!.name!, { image: image(j), uid: j.metadata!.uid, complete: j.status?.succeeded === 1 }])),
  };
}

describe('upgrades', () => {
  it('creates a store on the current release and upgrades it: its Jobs run again on the new images, then the app, then the check', async () => {
    const row = await readyStore('upg-ok');
    expect(row.release).toBe('2.21.1');
    const before = await clusterImages(row);
    expect(before.medusa).toBe(PREVIOUS_IMAGE);
    expect(before.jobs['store-setup']?.image).toBe(PREVIOUS_IMAGE);
    const upgrading = await p.upgrade(row.id, '2.21.2', 'test');
    // 2.21.2 is the base release (the platform's images): recorded as null, so the store follows an image bump
    expect(upgrading).toMatchObject({ status: 'Upgrading', release: null, upgradeFrom: '2.21.1', upgradeBackupId: null });
    expect(p.releaseOf(upgrading)).toBe('2.21.2');
    const done = await waitForStatus(p, row.id, ['Ready', 'Failed']);
    expect(done, done.statusReason ?? '').toMatchObject({ status: 'Ready', release: null, upgradeFrom: null, statusReason: null });
    expect(p.releaseOf(done)).toBe('2.21.2');
    const after = await clusterImages(row);
    expect(after.medusa).toBe(DEFAULT_PLATFORM_SETTINGS.images.medusa);
    for (const job of ['store-setup', 'store-check']) {
      expect(after.jobs[job], job).toMatchObject({ image: DEFAULT_PLATFORM_SETTINGS.images.medusa, complete: true });
      expect(after.jobs[job]!.uid, `${job} ran again`).not.toBe(before.jobs[job]!.uid);
    }
    const steps = p.events(row.id).filter((e) => e.step === 'upgrade').map((e) => `${e.phase}: ${e.message}`);
    expect(steps[0]).toBe('info: Upgrade medusa 2.21.1 -> 2.21.2 requested by test; no pre-upgrade backup');
    expect(steps.at(-1)).toBe('succeeded: Upgraded medusa 2.21.1 -> 2.21.2; the store check passed');
    // and the order the walk took: migrations (store-setup) before the app, the check last
    const walked = p.events(row.id).filter((e) => e.phase === 'succeeded' && e.at >= upgrading.updatedAt).map((e) => e.step);
    expect(walked.indexOf('store-setup')).toBeLessThan(walked.indexOf('medusa'));
    expect(walked.indexOf('medusa')).toBeLessThan(walked.indexOf('store-check'));
  }, 180_000);

  it('rolls a failed upgrade back to the old release: its images again, its Jobs and check run again, the store Ready and saying so', async () => {
    const row = await readyStore('upg-fail');
    await p.upgrade(row.id, '2.21.3', 'test');
    const done = await waitForStatus(p, row.id, ['Ready', 'Failed'], 150_000);
    expect(done.status, done.statusReason ?? '').toBe('Ready');
    expect(done).toMatchObject({ release: '2.21.1', upgradeFrom: null });
    expect(done.statusReason).toMatch(/^Upgrade rolled back to 2\.21\.1 \(medusa 2\.21\.3 failed at store-setup: .+\); no pre-upgrade backup was taken/);
    const after = await clusterImages(row);
    expect(after.medusa).toBe(PREVIOUS_IMAGE);
    expect(after.jobs['store-setup']).toMatchObject({ image: PREVIOUS_IMAGE, complete: true });
    expect(after.jobs['store-check']).toMatchObject({ image: PREVIOUS_IMAGE, complete: true });
    const tl = p.events(row.id).map((e) => `${e.step} ${e.phase}`);
    expect(tl).toContain('upgrade failed');
    expect(tl).toContain('upgrade-rollback started');
    expect(tl).toContain('upgrade-rollback succeeded');
  }, 240_000);

  it('refuses a path the catalogue does not name and a store that is not Ready, changing nothing', async () => {
    const row = await readyStore('upg-refused');
    await expect(p.upgrade(row.id, '2.21.0', 'test')).rejects.toThrow(VersionNotAllowedError);
    await expect(p.upgrade(row.id, '2.21.0', 'test')).rejects.toThrow("release '2.21.0' of engine 'medusa' is not in the catalogue; known: 2.21.2, 2.21.1, 2.21.3");
    await expect(p.upgrade(row.id, '2.21.1', 'test')).rejects.toThrow('the store already runs medusa 2.21.1');
    await p.suspend(row.id, 'test');
    await waitForStatus(p, row.id, ['Suspended']);
    await expect(p.upgrade(row.id, '2.21.2', 'test')).rejects.toThrow('only a Ready store can be upgraded (status is Suspended)');
    expect(p.get(row.id)).toMatchObject({ status: 'Suspended', release: '2.21.1', upgradeFrom: null });
  }, 180_000);

  it('finishes an upgrade an engine restart interrupted: the next engine walks it again from the start', async () => {
    const first = h.engine(options).p;
    void first.start();
    const row = await readyStore('upg-restart', first);
    await first.upgrade(row.id, '2.21.2', 'test');
    await waitForEvent(first, row.id, (e) => e.step === 'upgrade' && e.phase === 'started');
    await first.stop(5_000);
    expect(first.get(row.id).status).toBe('Upgrading');
    const second = h.engine(options).p;
    void second.start();
    const done = await waitForStatus(second, row.id, ['Ready', 'Failed'], 150_000);
    expect(done, done.statusReason ?? '').toMatchObject({ status: 'Ready', release: null, upgradeFrom: null });
    expect(second.releaseOf(done)).toBe('2.21.2');
    expect(second.events(row.id).some((e) => e.step === 'upgrade' && e.message.startsWith('Resumed after an engine restart: upgrading medusa 2.21.1 -> 2.21.2'))).toBe(true);
    expect((await clusterImages(row)).medusa).toBe(DEFAULT_PLATFORM_SETTINGS.images.medusa);
  }, 240_000);
});

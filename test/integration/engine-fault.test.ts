import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateCluster, type PrivateCluster } from '../support/cluster.js';
import { harness, stepsOf, waitForEvent, waitForStatus, type Harness } from './engine-harness.js';

// Stopping the shared cluster's API server would fail every other test file running at the same
// time, so this test brings up a private simulated cluster of its own.
describe('engine: API server outage', () => {
  let cluster: PrivateCluster;
  let h: Harness;
  beforeAll(async () => {
    cluster = await startPrivateCluster();
    h = harness(cluster.kubeConfig());
  });
  afterAll(async () => {
    await h?.cleanup();
    await cluster?.destroy();
  });

  it('delays but does not fail a store when the API server is unreachable for a few seconds mid-provisioning', async () => {
    const { p } = h.engine({ retry: { baseMs: 200, maxMs: 1_000 } });
    await p.start();
    const row = await p.create(h.spec(h.name('fault')), { actor: 'test' });
    const steps = stepsOf(row);
    await waitForEvent(p, row.id, (e) => e.step === steps[2]!.name && e.phase === 'started');
    const outage = cluster.restart('kube-apiserver', 3_000);
    const ready = await waitForStatus(p, row.id, ['Ready', 'Failed'], 150_000);
    await outage;
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');

    const events = p.events(row.id);
    const retries = events.filter((e) => e.phase === 'retrying');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.some((e) => /unreachable|ECONNREFUSED|ECONNRESET|ServiceUnavailable|HTTP 5\d\d|etcd/i.test(e.message))).toBe(true);
    expect(retries.map((e) => e.attempt)).toContain(1);
    expect(events.some((e) => e.phase === 'failed')).toBe(false);
  });
});

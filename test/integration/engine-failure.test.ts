import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, namespaceFor, type PlatformSettings } from '../../constructs/index.js';
import { UNAVAILABLE_IMAGE_REGISTRY } from '../support/cluster.js';
import { harness, namespaceExists, stepsOf, waitForEvent, waitForStatus } from './engine-harness.js';

// kwok never starts a container whose image lives under the reserved unavailable registry: the
// WordPress Deployment can never become available, exactly like a wrong image tag on a real node.
const BROKEN: PlatformSettings = {
  ...DEFAULT_PLATFORM_SETTINGS,
  images: { ...DEFAULT_PLATFORM_SETTINGS.images, wordpress: `${UNAVAILABLE_IMAGE_REGISTRY}wordpress:6.8.3-php8.3-apache` },
};

function wordpressStep(row: Parameters<typeof stepsOf>[0]) {
  const steps = stepsOf(row);
  const i = steps.findIndex((s) => s.readiness.kind === 'DeploymentAvailable');
  return { step: steps[i]!, index: i, steps };
}

describe('engine: a step that cannot become ready', () => {
  const h = harness();
  afterAll(() => h.cleanup());

  it('fails the store with the step name and a readable reason, keeps its resources, and a retry after the fix resumes at that step', async () => {
    const broken = h.engine({ platform: BROKEN, stepTimeouts: { wordpress: 5 } });
    await broken.p.start();
    const row = await broken.p.create(h.spec(h.name('stuck')), { actor: 'test' });
    const { step, index, steps } = wordpressStep(row);
    const failed = await waitForStatus(broken.p, row.id, ['Ready', 'Failed']);
    expect(failed.status).toBe('Failed');
    expect(failed.failedStep).toBe(step.name);
    expect(failed.statusReason).toMatch(new RegExp(`^${step.title}: step '${step.name}' not ready after 5s: Deployment ${namespaceFor(row.slug)}/wordpress: `));
    // the pod's own reason, not only the replica count: on the timeline while waiting, and in the verdict
    expect(failed.statusReason).toMatch(/pod wordpress-[a-z0-9-]+: container wordpress ImagePullBackOff: Back-off pulling image/);
    const waiting = broken.p.events(row.id).filter((e) => e.step === step.name && e.phase === 'info');
    expect(waiting.map((e) => e.message)).toEqual([expect.stringMatching(/^Waiting: pod wordpress-[a-z0-9-]+: container wordpress ImagePullBackOff: /)]);
    const failEvent = broken.p.events(row.id).find((e) => e.phase === 'failed');
    expect(failEvent).toMatchObject({ step: step.name });
    expect(failEvent!.durationMs).toBeGreaterThanOrEqual(5_000);
    expect(failEvent!.id).toBeGreaterThan(waiting[0]!.id);
    // kept for inspection by default
    expect(await namespaceExists(h.kube, namespaceFor(row.slug))).toBe(true);
    await broken.p.stop(5_000);

    // the operator fixes the image and retries
    const fixed = h.engine();
    await fixed.p.start();
    expect(fixed.p.get(row.id).status).toBe('Failed'); // a Failed store waits for a retry
    const pending = await fixed.p.retry(row.id, 'test');
    expect(pending.status).toBe('Pending');
    const ready = await waitForStatus(fixed.p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    expect(ready.failedStep).toBeNull();

    const events = fixed.p.events(row.id);
    expect(events.some((e) => e.step === 'store' && e.message.includes(`resuming at step '${step.name}'`))).toBe(true);
    for (const s of steps.slice(0, index)) expect(events.filter((e) => e.step === s.name && e.phase === 'started')).toHaveLength(1);
    expect(events.filter((e) => e.step === step.name && e.phase === 'started').map((e) => e.attempt)).toEqual([1, 2]);
    expect(events.filter((e) => e.step === step.name && e.phase === 'succeeded').at(-1)?.message).toMatch(/applied/);

    const dep = await h.kube.apps.readNamespacedDeployment({ name: 'wordpress', namespace: namespaceFor(row.slug) }) as V1Deployment;
    expect(dep.spec?.template.spec?.containers[0]?.image).toBe(DEFAULT_PLATFORM_SETTINGS.images.wordpress);
  });

  it('fails at once, not at the step timeout, on a cause that cannot clear by itself (an image reference that does not parse)', async () => {
    const invalid: PlatformSettings = { ...DEFAULT_PLATFORM_SETTINGS, images: { ...DEFAULT_PLATFORM_SETTINGS.images, wordpress: 'WordPress:6.8.3-php8.3-apache' } };
    const { p } = h.engine({ platform: invalid, stepTimeouts: { wordpress: 600 } });
    await p.start();
    const row = await p.create(h.spec(h.name('badref')), { actor: 'test' });
    const failed = await waitForStatus(p, row.id, ['Ready', 'Failed'], 60_000);
    expect(failed.status).toBe('Failed');
    expect(failed.failedStep).toBe('wordpress');
    expect(failed.statusReason).toMatch(/container wordpress InvalidImageName: .*repository name must be lowercase \(cannot clear without a spec change\)$/);
    const failEvent = p.events(row.id).find((e) => e.phase === 'failed')!;
    expect(failEvent.durationMs).toBeLessThan(30_000);
  });

  it('tears a failed store down when asked to, and a retry then starts over', async () => {
    const broken = h.engine({ platform: BROKEN, stepTimeouts: { wordpress: 2 } });
    await broken.p.start();
    const row = await broken.p.create(h.spec(h.name('teardown')), { actor: 'test', teardownOnFailure: true });
    expect(row.teardownOnFailure).toBe(true);
    await waitForStatus(broken.p, row.id, ['Failed', 'Ready']);
    await waitForEvent(broken.p, row.id, (e) => e.step === 'teardown' && (e.phase === 'succeeded' || e.phase === 'failed'), 120_000);
    const torn = broken.p.get(row.id);
    expect(torn.status).toBe('Failed');
    expect(torn.statusReason).toMatch(/resources torn down/);
    expect(await namespaceExists(h.kube, namespaceFor(row.slug))).toBe(false);
    await broken.p.stop(5_000);

    const fixed = h.engine();
    await fixed.p.start();
    await fixed.p.retry(row.id, 'test');
    const ready = await waitForStatus(fixed.p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    expect(fixed.p.events(row.id).some((e) => /starting over/.test(e.message))).toBe(true);
  });

  it('fails on a retry of a store that is not Failed', async () => {
    const { p } = h.engine();
    const row = await p.create(h.spec(h.name('noretry')), { actor: 'test' });
    await expect(p.retry(row.id, 'test')).rejects.toThrow(/only a Failed store can be retried/);
  });
});

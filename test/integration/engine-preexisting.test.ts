import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, STORE_ID_LABEL, synthesizeStore } from '../../constructs/index.js';
import type { KubeObject } from '../../constructs/readiness.js';
import { toRequestObject } from '../../src/k8s/apply.js';
import { generateStoreSecrets } from '../../src/manifests/secrets.js';
import { harness, waitForStatus } from './engine-harness.js';

describe('engine: objects that exist before provisioning', () => {
  const h = harness();
  const { p } = h.engine();
  afterAll(() => h.cleanup());

  const synth = (name: string) => synthesizeStore({ spec: h.spec(name), secrets: generateStoreSecrets(), platform: DEFAULT_PLATFORM_SETTINGS });
  const create = (o: KubeObject) => h.kube.objects.create(toRequestObject(o));

  it('counts objects of this store created beforehand (409 AlreadyExists) as already present', async () => {
    await p.start();
    const name = h.name('pre');
    const steps = synth(name);
    // someone applied the first two steps' manifests by hand before asking the platform
    const early = steps.slice(0, 2);
    for (const s of early) for (const o of s.objects) await create(o);

    const row = await p.create(h.spec(name), { actor: 'test' });
    const ready = await waitForStatus(p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    for (const s of early) {
      const e = p.events(row.id).find((x) => x.step === s.name && x.phase === 'succeeded');
      expect(e?.message).toMatch(new RegExp(`${s.objects.length} already present`));
    }
  });

  it('fails the step, without adopting it, when an object of the same name belongs to someone else', async () => {
    const name = h.name('foreign');
    const steps = synth(name);
    const [nsStep] = steps;
    for (const o of nsStep!.objects) await create(o);
    // a later step's first namespaced object, created without the store's labels
    const victimStep = steps.find((s, i) => i > 0 && s.objects.some((o) => o.metadata.namespace && o.kind !== 'Secret'))!;
    const victim = victimStep.objects.find((o) => o.metadata.namespace && o.kind !== 'Secret')!;
    await create({ ...victim, metadata: { ...victim.metadata, labels: { owner: 'someone-else' } } });

    const row = await p.create(h.spec(name), { actor: 'test' });
    const failed = await waitForStatus(p, row.id, ['Ready', 'Failed']);
    expect(failed.status).toBe('Failed');
    expect(failed.failedStep).toBe(victimStep.name);
    expect(failed.statusReason).toMatch(/not managed by this store/);
    expect(failed.statusReason).toContain(`${victim.kind} ${victim.metadata.namespace}/${victim.metadata.name}`);
    const still = await h.kube.objects.read<KubernetesObject>(toRequestObject(victim) as never);
    expect(still.metadata?.labels?.[STORE_ID_LABEL]).toBeUndefined();
    expect(still.metadata?.labels?.owner).toBe('someone-else');
  });
});

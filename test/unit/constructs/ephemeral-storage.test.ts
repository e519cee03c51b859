import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, PLANS, engineOf, type KubeObject } from '../../../constructs/index.js';
import { aSpec, allObjects, fakeSecrets, mebibytes, podTemplates, synth, type PodTemplate } from './fixtures.js';

const ENGINES = ['woocommerce', 'medusa'] as const;

/** Every pod template a store of `engine` on `plan` runs: its steps' workloads and its reset Job. */
function templatesOf(engine: (typeof ENGINES)[number], plan: (typeof PLANS)[number]): PodTemplate[] {
  const spec = aSpec({ engine, plan });
  const signing = { jwtSecret: 'fake-jwt-0123456789abcdef', cookieSecret: 'fake-cookie-0123456789abcdef' };
  const steps = synth(spec, {}, engine === 'medusa' ? { ...fakeSecrets(), signing } : fakeSecrets());
  const reset = engineOf(engine).resetPasswordJob(spec.name, { spec, platform: DEFAULT_PLATFORM_SETTINGS, jobName: 'reset-1' }) as KubeObject;
  return podTemplates([...allObjects(steps), reset]);
}

const emptyDirMiB = (t: PodTemplate): number => (t.spec.volumes ?? [])
  .map((v) => (v as { emptyDir?: { medium?: string; sizeLimit?: string } }).emptyDir)
  .filter((e) => e !== undefined && e.medium !== 'Memory')
  .reduce((n, e) => n + mebibytes(e!.sizeLimit ?? '0Mi'), 0);

describe('ephemeral storage', () => {
  for (const engine of ENGINES) {
    for (const plan of PLANS) {
      it(`gives every container of a ${engine} store an ephemeral-storage request no larger than its limit (${plan})`, () => {
        for (const t of templatesOf(engine, plan)) {
          for (const c of [...t.spec.containers, ...(t.spec.initContainers ?? [])]) {
            const where = `${t.owner.kind}/${t.owner.metadata.name}/${c.name}`;
            const request = c.resources?.requests?.['ephemeral-storage'];
            const limit = c.resources?.limits?.['ephemeral-storage'];
            expect(request, where).toBeDefined();
            expect(limit, where).toBeDefined();
            expect(mebibytes(request!), where).toBeGreaterThan(0);
            expect(mebibytes(request!), where).toBeLessThanOrEqual(mebibytes(limit!));
          }
        }
      });

      it(`leaves every ${engine} pod room for its emptyDir volumes within its ephemeral-storage limit (${plan})`, () => {
        for (const t of templatesOf(engine, plan)) {
          const limitOf = (cs: PodTemplate['spec']['containers']) => cs.map((c) => mebibytes(c.resources!.limits!['ephemeral-storage']!));
          // the kubelet's pod limit: the sum over the containers, or the largest init container when larger
          const podLimit = Math.max(limitOf(t.spec.containers).reduce((a, b) => a + b, 0), ...limitOf(t.spec.initContainers ?? []));
          expect(podLimit, `${t.owner.kind}/${t.owner.metadata.name}`).toBeGreaterThan(emptyDirMiB(t));
        }
      });
    }
  }
});

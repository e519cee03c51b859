import {
  type KubeObject,
  type PlatformSettings,
  type StoreSecrets,
  type StoreSpec,
  type SynthesizedStep,
  synthesizeStore,
} from '../../constructs/index.js';
import { generateStoreSecrets } from './secrets.js';

/**
 * Desired state of one store as ordered provisioning steps. Generates fresh secrets when none are
 * given (new store); pass the stored ones to re-synthesize an existing store identically.
 */
export function synthStoreFromSpec(spec: StoreSpec, platform: PlatformSettings, secrets: StoreSecrets = generateStoreSecrets(spec.engine)): SynthesizedStep[] {
  return synthesizeStore({ spec, secrets, platform });
}

/** Marks every Secret value in review output. */
export const REDACTED = '<redacted: synth with --reveal-secrets to show>';

/** A copy of `obj` with every Secret value (`stringData` and `data`) replaced by {@link REDACTED}. */
export function redactSecret(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Secret') return obj;
  const out: Record<string, unknown> = { ...obj };
  for (const field of ['stringData', 'data'] as const) {
    const values = obj[field];
    if (values && typeof values === 'object') {
      out[field] = Object.fromEntries(Object.keys(values).map((k) => [k, REDACTED]));
    }
  }
  return out as KubeObject;
}

/** Steps with every Secret value redacted. */
export function redactSteps(steps: readonly SynthesizedStep[]): SynthesizedStep[] {
  return steps.map((s) => ({ ...s, objects: s.objects.map(redactSecret) }));
}

import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject } from '../../constructs/readiness.js';
import type { KubeClients } from './client.js';
import { FIELD_MANAGER, isOwned, readIfExists, toRequestObject } from './apply.js';
import { describeObject, ForeignObjectError, KubeApiError } from './errors.js';
import { withRetry, type CallOptions } from './retry.js';

// Named day-2 writes: the restart patch, suspend and resume, Secret data, Jobs. Callers never see the client.

/** Annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/**
 * Field manager of the restart annotation: not the platform's own, whose Update entries the next
 * server-side apply adopts (and would then remove the annotation it does not name, rolling the pods).
 */
export const ROLLOUT_FIELD_MANAGER = `${FIELD_MANAGER}-rollout`;

export interface RestartOptions {
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  readonly at: Date;
}

/** Rollout restart, the way `kubectl rollout restart` does it: a pod-template annotation change. */
export async function restartWorkload(kube: KubeClients, opts: RestartOptions, call: CallOptions): Promise<void> {
  const patch = {
    apiVersion: 'apps/v1', kind: opts.kind, metadata: { name: opts.name, namespace: opts.namespace },
    spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: opts.at.toISOString() } } } },
  };
  await mergePatch(kube, patch, call, ROLLOUT_FIELD_MANAGER);
}

/**
 * Field manager of the suspend and resume writes (replicas, CronJob `suspend`): apart from the
 * platform's own, like the restart's, so a later server-side apply of the store takes those fields
 * back (force) instead of keeping a suspended store's values.
 */
export const SUSPEND_FIELD_MANAGER = `${FIELD_MANAGER}-suspend`;

/** Sets a Deployment's or StatefulSet's `spec.replicas`; `absent` when it does not exist. */
export async function scaleWorkload(
  kube: KubeClients,
  opts: {
    namespace: string; kind: 'Deployment' | 'StatefulSet'; name: string; replicas: number;
    /** Set with the scale in one patch; null removes one (a merge patch). */
    annotations?: Readonly<Record<string, string | null>>;
    /** @default SUSPEND_FIELD_MANAGER */
    fieldManager?: string;
  },
  call: CallOptions,
): Promise<'scaled' | 'absent'> {
  const metadata = { name: opts.name, namespace: opts.namespace, ...(opts.annotations ? { annotations: opts.annotations } : {}) };
  const patch = { apiVersion: 'apps/v1', kind: opts.kind, metadata, spec: { replicas: opts.replicas } };
  return (await mergePatchIfExists(kube, patch, call, opts.fieldManager ?? SUSPEND_FIELD_MANAGER)) === 'absent' ? 'absent' : 'scaled';
}

/** Sets a CronJob's `spec.suspend` (no new runs start while true); `absent` when it does not exist. */
export async function setCronJobSuspended(
  kube: KubeClients, opts: { namespace: string; name: string; suspend: boolean }, call: CallOptions,
): Promise<'patched' | 'absent'> {
  const patch = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: opts.name, namespace: opts.namespace }, spec: { suspend: opts.suspend } };
  return mergePatchIfExists(kube, patch, call, SUSPEND_FIELD_MANAGER);
}

/**
 * Deletes an object (its dependants in the background) unless it is gone already; one that exists
 * without every `owner` label is never touched (ForeignObjectError).
 */
export async function deleteOwnedObject(
  kube: KubeClients, obj: KubeObject, owner: Readonly<Record<string, string>>, call: CallOptions,
): Promise<'deleted' | 'absent'> {
  return withRetry(async () => {
    const ref = toRequestObject(obj);
    const live = await readIfExists(kube.objects, ref as KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string } });
    if (!live) return 'absent';
    if (!isOwned(live.metadata?.labels, owner)) {
      throw new ForeignObjectError(`${describeObject(obj)} is not managed by this store; refusing to delete it`);
    }
    try {
      await kube.objects.delete(ref, undefined, undefined, undefined, undefined, 'Background');
      return 'deleted';
    } catch (err) {
      const e = KubeApiError.from(err, obj);
      if (e.status === 404) return 'absent';
      throw e;
    }
  }, call);
}

export interface SecretRef {
  readonly namespace: string;
  readonly name: string;
}

/** The Secret's data, base64-decoded; undefined when the Secret does not exist. */
export async function readSecretData(kube: KubeClients, ref: SecretRef, call: CallOptions): Promise<Record<string, string> | undefined> {
  let secret;
  try {
    secret = await withRetry(() => kube.core.readNamespacedSecret(ref), call);
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return undefined;
    throw err;
  }
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** Sets the given keys of the Secret's data (merge patch); the values are plain text. */
export async function patchSecretData(kube: KubeClients, ref: SecretRef, data: Readonly<Record<string, string>>, call: CallOptions): Promise<void> {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
  await mergePatch(kube, { apiVersion: 'v1', kind: 'Secret', metadata: { name: ref.name, namespace: ref.namespace }, data: encoded }, call);
}

/** Names of the namespace's Jobs starting with `prefix`. */
export async function listJobNames(kube: KubeClients, opts: { namespace: string; prefix: string }, call: CallOptions): Promise<string[]> {
  const jobs = await withRetry(() => kube.batch.listNamespacedJob({ namespace: opts.namespace }), call);
  return jobs.items.map((j) => j.metadata?.name ?? '').filter((n) => n.startsWith(opts.prefix));
}

/** Deletes a Job and, in the background, its pods; a Job already gone is fine. */
export async function deleteJob(kube: KubeClients, opts: { namespace: string; name: string }, call: CallOptions): Promise<void> {
  await withRetry(async () => {
    try {
      await kube.batch.deleteNamespacedJob({ ...opts, propagationPolicy: 'Background' });
    } catch (err) {
      const e = KubeApiError.from(err, { kind: 'Job', metadata: opts });
      if (e.status !== 404) throw e;
    }
  }, call);
}

async function mergePatchIfExists(
  kube: KubeClients, body: { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; [field: string]: unknown }, call: CallOptions,
  fieldManager: string,
): Promise<'patched' | 'absent'> {
  try {
    await mergePatch(kube, body, call, fieldManager);
    return 'patched';
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return 'absent';
    throw err;
  }
}

async function mergePatch(
  kube: KubeClients, body: { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; [field: string]: unknown }, call: CallOptions,
  fieldManager = FIELD_MANAGER,
): Promise<void> {
  await withRetry(async () => {
    try {
      await kube.objects.patch(body, undefined, undefined, fieldManager, undefined, PatchStrategy.MergePatch);
    } catch (err) {
      throw KubeApiError.from(err, body);
    }
  }, call);
}

import { ApiException, loadYaml, PatchStrategy, type KubernetesObject, type KubernetesObjectApi, type V1ManagedFieldsEntry } from '@kubernetes/client-node';
import type { KubeObject } from '../../constructs/readiness.js';
import { describeObject, ForeignObjectError, KubeApiError, parseStatus } from './errors.js';

/** Field manager for server-side apply; also names the platform in managedFields. */
export const FIELD_MANAGER = 'store-platform';

/** `created`, or `exists` when an object of ours was already there (recorded as "already present"). */
export type ApplyOutcome = 'created' | 'exists';

const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'IngressClass',
  'PriorityClass', 'CustomResourceDefinition',
]);

/**
 * The object in client-node's model form, fit for its create, read and patch calls: their serializer
 * maps model names back to wire names and drops what it does not know, so wire JSON handed to it loses
 * every field whose model name differs (a NetworkPolicy rule's `from` is `_from`), and an allow rule
 * from one namespace becomes an allow rule from anywhere. Cluster-scoped kinds also lose any
 * namespace a chart stamped on them.
 */
export function toRequestObject(obj: KubeObject): KubernetesObject {
  const copy = structuredClone(obj) as unknown as KubernetesObject & { metadata: { namespace?: string } };
  if (CLUSTER_SCOPED.has(obj.kind)) delete copy.metadata.namespace;
  return loadYaml<KubernetesObject>(JSON.stringify(copy));
}

/**
 * Creates the object unless it exists. An existing object counts only if it carries every label in
 * `owner` (this store's identity); otherwise ForeignObjectError: someone else's object is never adopted.
 * Create-only never corrects drift; live stores use serverSideApply for that.
 */
export async function createIfAbsent(
  api: KubernetesObjectApi, obj: KubeObject, owner: Readonly<Record<string, string>>,
): Promise<ApplyOutcome> {
  try {
    // the field manager names the platform in managedFields (the client's default is its user agent,
    // `node-fetch`); adoptCreatedFields hands what the create set to later server-side applies
    await api.create(toRequestObject(obj), undefined, undefined, FIELD_MANAGER);
    return 'created';
  } catch (err) {
    if (err instanceof ApiException && err.code === 409 && parseStatus(err.body).reason === 'AlreadyExists') {
      return verifyOwned(api, obj, owner);
    }
    const failure = KubeApiError.from(err, obj);
    // Admission runs before the existence check: re-creating an existing claim in a full namespace is
    // refused as "exceeded quota" (403), not AlreadyExists. If the object is there, that is our answer
    // (whether or not the refusal would be worth retrying).
    if (refusedByAdmission(failure.status)) {
      const existing = await readIfExists(api, toRequestObject(obj) as KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string } });
      if (existing) {
        assertOwned(obj, existing, owner);
        return 'exists';
      }
    }
    throw failure;
  }
}

/** A 4xx that admission (quota, LimitRange, Pod Security, validation) may give before the existence check. */
function refusedByAdmission(status: number): boolean {
  return status >= 400 && status < 500 && status !== 404 && status !== 409 && status !== 429;
}

/** Reads the existing object and checks it carries `owner`; returns 'exists' or throws ForeignObjectError. */
async function verifyOwned(
  api: KubernetesObjectApi, obj: KubeObject, owner: Readonly<Record<string, string>>,
): Promise<'exists'> {
  let existing: KubernetesObject;
  try {
    existing = await api.read(toRequestObject(obj) as KubernetesObject & { metadata: { name: string } });
  } catch (err) {
    throw KubeApiError.from(err, obj);
  }
  assertOwned(obj, existing, owner);
  return 'exists';
}

/**
 * Server-side apply with the platform's field manager, forcing ownership of the fields we set: used for
 * changes to a live store (plan change, image upgrade), and it corrects drift on those fields as well.
 */
export async function serverSideApply(api: KubernetesObjectApi, obj: KubeObject): Promise<KubernetesObject> {
  const body = toRequestObject(obj) as KubernetesObject & { metadata: { managedFields?: unknown; resourceVersion?: string } };
  delete body.metadata.managedFields;
  delete body.metadata.resourceVersion;
  try {
    return await api.patch(body, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  } catch (err) {
    throw KubeApiError.from(err, obj);
  }
}

/** Reads an object, or undefined on 404. */
export async function readIfExists<T extends KubernetesObject = KubernetesObject>(
  api: KubernetesObjectApi, ref: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } },
): Promise<T | undefined> {
  try {
    return await api.read<T>(ref as never);
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return undefined;
    throw KubeApiError.from(err, ref);
  }
}

/** Kinds whose existing objects are never rewritten: generated credentials, immutable Jobs and claims. */
const KEEP_EXISTING = new Set(['Secret', 'Job', 'PersistentVolumeClaim']);

/**
 * `create` (first provisioning, crash recovery): create-if-absent. `apply` (retry after a fix, spec
 * change): objects that exist and are ours are server-side applied so the new spec wins; Secrets, Jobs and
 * claims keep their existing contents.
 */
export type ApplyMode = 'create' | 'apply';

export async function ensureObject(
  api: KubernetesObjectApi, obj: KubeObject, owner: Readonly<Record<string, string>>, mode: ApplyMode,
): Promise<ApplyOutcome | 'applied'> {
  if (mode === 'create' || KEEP_EXISTING.has(obj.kind)) return createIfAbsent(api, obj, owner);
  const existing = await readIfExists(api, toRequestObject(obj) as KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string } });
  if (!existing) return createIfAbsent(api, obj, owner);
  assertOwned(obj, existing, owner);
  await adoptCreatedFields(api, existing);
  await serverSideApply(api, keepImmutable(obj, existing));
  return 'applied';
}

const isOwn = (operation: string) => (e: V1ManagedFieldsEntry): boolean =>
  e.manager === FIELD_MANAGER && e.operation === operation && (e.subresource ?? '') === '';

/**
 * A create records its fields under (store-platform, Update), which server-side apply counts as
 * another manager: an apply that no longer names a field the create set would leave it in place. The
 * first apply therefore folds that entry into the platform's Apply entry (what kubectl's client-side
 * apply upgrade does), guarded by the object's resourceVersion, so the apply owns every field the
 * platform ever set and removes those the new spec drops.
 */
export async function adoptCreatedFields(api: KubernetesObjectApi, live: KubernetesObject): Promise<void> {
  const entries = live.metadata?.managedFields ?? [];
  const created = entries.find(isOwn('Update'));
  if (!created) return;
  const applied = entries.find(isOwn('Apply'));
  const merged: V1ManagedFieldsEntry = {
    ...created, ...applied, operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: unionOfFields(created.fieldsV1, applied?.fieldsV1),
  };
  const managedFields = [...entries.filter((e) => e !== created && e !== applied), merged];
  const { apiVersion, kind } = live as KubernetesObject & { apiVersion: string; kind: string };
  const ref = { apiVersion, kind, metadata: { name: live.metadata?.name ?? '', namespace: live.metadata?.namespace, resourceVersion: live.metadata?.resourceVersion, managedFields } };
  try {
    await api.patch(ref, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
  } catch (err) {
    throw KubeApiError.from(err, ref);
  }
}

/** The union of two FieldsV1 sets (nested objects whose keys are the fields). */
function unionOfFields(a: unknown, b: unknown): unknown {
  if (!isRecord(a)) return b ?? a;
  if (!isRecord(b)) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? unionOfFields(out[k], v) : v;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A StatefulSet's volumeClaimTemplates cannot change after creation (the API server refuses the whole
 * update), so a live StatefulSet keeps the ones it has; growing a volume is a separate operation.
 */
function keepImmutable(obj: KubeObject, existing: KubernetesObject): KubeObject {
  if (obj.kind !== 'StatefulSet') return obj;
  const live = (existing as { spec?: { volumeClaimTemplates?: unknown[] } }).spec?.volumeClaimTemplates;
  const spec = (obj as { spec?: Record<string, unknown> }).spec;
  if (!live || !spec) return obj;
  const templates = live.map((t) => {
    const { status: _status, ...rest } = t as Record<string, unknown>;
    return rest;
  });
  return { ...obj, spec: { ...spec, volumeClaimTemplates: templates } };
}

/** True when `labels` carries every owner label. */
export function isOwned(labels: Readonly<Record<string, string>> | undefined, owner: Readonly<Record<string, string>>): boolean {
  return Object.entries(owner).every(([k, v]) => labels?.[k] === v);
}

function assertOwned(obj: KubeObject, existing: KubernetesObject, owner: Readonly<Record<string, string>>): void {
  if (!isOwned(existing.metadata?.labels, owner)) {
    const want = Object.entries(owner).map(([k, v]) => `${k}=${v}`).join(', ');
    throw new ForeignObjectError(`${describeObject(obj)} already exists and is not managed by this store (expected ${want}); refusing to adopt it`);
  }
}

import { PatchStrategy, type V1Pod } from '@kubernetes/client-node';
import {
  ADMIN_SECRET_KEYS, COMPONENT_LABEL, NAME_LABEL, OBJECT_NAMES, STORE_COMPONENTS, type StoreComponent,
} from '../../constructs/index.js';
import { AppError, NotFoundError } from '../errors.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import type { KubeClients } from '../k8s/client.js';
import { KubeApiError } from '../k8s/errors.js';
import { withRetry, type RetryPolicy } from './backoff.js';
import { identityOf } from './desired.js';

// Day-2 operations on a store's live objects. Each reads the cluster directly: nothing is cached.

export class UnknownComponentError extends AppError {
  public readonly code = 'UNKNOWN_COMPONENT';
  public readonly statusCode = 400;
  public readonly title = 'Unknown component';
}

export interface StoreHealth {
  readonly storeId: string;
  readonly pods: { name: string; component: string | null; phase: string; ready: boolean; restarts: number; ageSeconds: number | null }[];
  readonly pvcs: { name: string; phase: string; size: string | null }[];
  readonly quota: { resource: string; used: string; hard: string }[];
}

export interface StoreLogs {
  readonly storeId: string;
  readonly entries: { pod: string; container: string; lines: string[] }[];
}

export const COMPONENTS = Object.keys(STORE_COMPONENTS) as StoreComponent[];

/** Validates a component name from the API; all components when undefined. */
export function componentsFor(component: string | undefined): StoreComponent[] {
  if (component === undefined) return COMPONENTS;
  if (!(component in STORE_COMPONENTS)) {
    throw new UnknownComponentError(`unknown component '${component}'; expected one of: ${COMPONENTS.join(', ')}`);
  }
  return [component as StoreComponent];
}

async function call<T>(policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  // interactive calls: a short, bounded retry so a blip does not become an error page
  return withRetry(async () => {
    try {
      return await fn();
    } catch (err) {
      throw KubeApiError.from(err);
    }
  }, { policy: { ...policy, maxAttempts: Math.min(policy.maxAttempts ?? 3, 3) } });
}

/** Rollout restart, the way `kubectl rollout restart` does it: a pod-template annotation change. */
export async function restartWorkloads(kube: KubeClients, policy: RetryPolicy, row: StoreRow, component: string | undefined, now = new Date()): Promise<string[]> {
  const { namespace } = identityOf(row);
  const restarted: string[] = [];
  for (const c of componentsFor(component)) {
    const w = STORE_COMPONENTS[c];
    const patch = {
      apiVersion: 'apps/v1', kind: w.kind, metadata: { name: w.name, namespace },
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString() } } } },
    };
    await call(policy, () => kube.objects.patch(patch, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch));
    restarted.push(w.name);
  }
  return restarted;
}

function podReady(p: V1Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function storeHealth(kube: KubeClients, policy: RetryPolicy, row: StoreRow, now = Date.now()): Promise<StoreHealth> {
  const { namespace } = identityOf(row);
  const [pods, pvcs, quotas] = await Promise.all([
    call(policy, () => kube.core.listNamespacedPod({ namespace })),
    call(policy, () => kube.core.listNamespacedPersistentVolumeClaim({ namespace })),
    call(policy, () => kube.core.listNamespacedResourceQuota({ namespace })),
  ]);
  return {
    storeId: row.id,
    pods: pods.items.map((p) => {
      const started = p.status?.startTime ?? p.metadata?.creationTimestamp;
      return {
        name: p.metadata?.name ?? '',
        component: p.metadata?.labels?.[NAME_LABEL] ?? p.metadata?.labels?.[COMPONENT_LABEL] ?? null,
        phase: p.status?.phase ?? 'Unknown',
        ready: podReady(p),
        restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
        ageSeconds: started ? Math.max(0, Math.floor((now - new Date(started).getTime()) / 1000)) : null,
      };
    }),
    pvcs: pvcs.items.map((c) => ({
      name: c.metadata?.name ?? '',
      phase: c.status?.phase ?? 'Unknown',
      size: c.status?.capacity?.storage ?? c.spec?.resources?.requests?.storage ?? null,
    })),
    quota: quotas.items.flatMap((q) => Object.entries(q.status?.hard ?? {}).map(([resource, hard]) => ({
      resource, hard: String(hard), used: String(q.status?.used?.[resource] ?? '0'),
    }))),
  };
}

/** Recent lines of each matching container; a pod whose logs cannot be read says why in its entry. */
export async function storeLogs(kube: KubeClients, policy: RetryPolicy, row: StoreRow, opts: { component: string | undefined; tail: number }): Promise<StoreLogs> {
  const { namespace } = identityOf(row);
  const entries: StoreLogs['entries'] = [];
  for (const c of componentsFor(opts.component)) {
    const w = STORE_COMPONENTS[c];
    const pods = await call(policy, () => kube.core.listNamespacedPod({ namespace, labelSelector: `${NAME_LABEL}=${w.name}` }));
    for (const p of pods.items) {
      const pod = p.metadata?.name ?? '';
      try {
        const text = await kube.core.readNamespacedPodLog({ name: pod, namespace, container: w.container, tailLines: opts.tail });
        entries.push({ pod, container: w.container, lines: String(text).split('\n').filter((l, i, a) => l !== '' || i < a.length - 1) });
      } catch (err) {
        entries.push({ pod, container: w.container, lines: [`(logs unavailable: ${KubeApiError.from(err).message})`] });
      }
    }
  }
  return { storeId: row.id, entries };
}

/** The admin user and password, read live from the store's Secret. */
export async function readAdminSecret(kube: KubeClients, policy: RetryPolicy, row: StoreRow): Promise<{ username: string; password: string }> {
  const { namespace } = identityOf(row);
  const secret = await call(policy, () => kube.core.readNamespacedSecret({ name: OBJECT_NAMES.adminSecret, namespace })).catch((err: unknown) => {
    if (err instanceof KubeApiError && err.status === 404) {
      throw new NotFoundError(`store '${row.id}' has no administrator Secret yet`, { cause: err });
    }
    throw err;
  });
  const decode = (key: string): string => {
    const v = secret.data?.[key];
    if (v === undefined) throw new AppErrorMissingKey(`Secret ${namespace}/${OBJECT_NAMES.adminSecret} has no '${key}'`);
    return Buffer.from(v, 'base64').toString('utf8');
  };
  return { username: decode(ADMIN_SECRET_KEYS.username), password: decode(ADMIN_SECRET_KEYS.password) };
}

class AppErrorMissingKey extends AppError {
  public readonly code = 'STORE_SECRET_INCOMPLETE';
  public readonly statusCode = 500;
  public readonly title = 'Store secret incomplete';
}

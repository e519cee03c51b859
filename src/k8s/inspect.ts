import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { KubeApiError } from './errors.js';
import { withRetry, type CallOptions } from './retry.js';

// Read-only views of a namespace's live objects for the day-2 API (health, logs). Nothing is cached.

export interface PodInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly phase: string;
  readonly ready: boolean;
  /** Summed over the pod's containers. */
  readonly restarts: number;
  /** Why a container last ended (`OOMKilled`, `Error`, ...), running or not now; null if none has. */
  readonly lastTermination: string | null;
  /** When the pod started (or was created), if known. */
  readonly startedAt: Date | undefined;
}

export interface ClaimInfo {
  readonly name: string;
  readonly phase: string;
  /** Bound capacity, else the requested size. */
  readonly size: string | null;
}

export interface QuotaUsage {
  readonly resource: string;
  readonly used: string;
  readonly hard: string;
}

function podReady(p: V1Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function lastTermination(p: V1Pod): string | null {
  for (const c of p.status?.containerStatuses ?? []) {
    const ended = c.state?.terminated ?? c.lastState?.terminated;
    if (ended) return ended.reason ?? `exit ${ended.exitCode}`;
  }
  return null;
}

/** Pods of a namespace, optionally filtered by a label selector (`key=value,...`). */
export async function listPods(kube: KubeClients, opts: { namespace: string; labelSelector?: string }, call: CallOptions): Promise<PodInfo[]> {
  const pods = await withRetry(() => kube.core.listNamespacedPod(opts), call);
  return pods.items.map((p) => {
    const started = p.status?.startTime ?? p.metadata?.creationTimestamp;
    return {
      name: p.metadata?.name ?? '',
      labels: p.metadata?.labels ?? {},
      phase: p.status?.phase ?? 'Unknown',
      ready: podReady(p),
      restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
      lastTermination: lastTermination(p),
      startedAt: started ? new Date(started) : undefined,
    };
  });
}

export async function listClaims(kube: KubeClients, opts: { namespace: string }, call: CallOptions): Promise<ClaimInfo[]> {
  const pvcs = await withRetry(() => kube.core.listNamespacedPersistentVolumeClaim(opts), call);
  return pvcs.items.map((c) => ({
    name: c.metadata?.name ?? '',
    phase: c.status?.phase ?? 'Unknown',
    size: c.status?.capacity?.storage ?? c.spec?.resources?.requests?.storage ?? null,
  }));
}

/** Every resource of every ResourceQuota in the namespace, used against hard. */
export async function listQuotaUsage(kube: KubeClients, opts: { namespace: string }, call: CallOptions): Promise<QuotaUsage[]> {
  const quotas = await withRetry(() => kube.core.listNamespacedResourceQuota(opts), call);
  return quotas.items.flatMap((q) => Object.entries(q.status?.hard ?? {}).map(([resource, hard]) => ({
    resource, hard: String(hard), used: String(q.status?.used?.[resource] ?? '0'),
  })));
}

export interface PodLogOptions {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly tailLines: number;
}

/** The container's last lines; one attempt (a pod that cannot answer says so in its entry). */
export async function readPodLog(kube: KubeClients, opts: PodLogOptions): Promise<string[]> {
  try {
    const text = await kube.core.readNamespacedPodLog({ name: opts.pod, namespace: opts.namespace, container: opts.container, tailLines: opts.tailLines });
    return String(text).split('\n').filter((l, i, a) => l !== '' || i < a.length - 1);
  } catch (err) {
    throw KubeApiError.from(err, { kind: 'Pod', metadata: { name: opts.pod, namespace: opts.namespace } });
  }
}

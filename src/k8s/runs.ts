import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { KubeApiError } from './errors.js';
import { sleep, withRetry, type CallOptions } from './retry.js';
import { deleteJob } from './workloads.js';

// What backup and restore runs read and change: a Job's outcome with its pod's termination message,
// a workload's replicas (maintenance) and its containers' images.

/** A run-once Job as the platform sees it: its state and, once a pod ended, that pod's termination message. */
export interface JobRun {
  readonly state: 'absent' | 'running' | 'succeeded' | 'failed';
  /** The Job's Failed condition (`BackoffLimitExceeded: ...`, `DeadlineExceeded: ...`). */
  readonly reason?: string;
  /** The termination message of the newest ended pod: the script's result, or its last log lines on an error. */
  readonly message?: string;
}

/** The Job's state from its conditions, and the newest ended pod's termination message. */
export async function readJobRun(kube: KubeClients, ref: { namespace: string; name: string }, call: CallOptions): Promise<JobRun> {
  const job = await withRetry(async () => {
    try {
      return await kube.batch.readNamespacedJob(ref);
    } catch (err) {
      const e = KubeApiError.from(err, { kind: 'Job', metadata: ref });
      if (e.status === 404) return undefined;
      throw e;
    }
  }, call);
  if (job === undefined) return { state: 'absent' };
  const cond = (type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
  const failed = cond('Failed');
  const state = cond('Complete') ? 'succeeded' : failed ? 'failed' : 'running';
  if (state === 'running') return { state };
  const pods = await withRetry(() => kube.core.listNamespacedPod({ namespace: ref.namespace, labelSelector: `job-name=${ref.name}` }), call);
  const ended = pods.items
    .map((p) => ({ at: p.metadata?.creationTimestamp ? new Date(p.metadata.creationTimestamp).getTime() : 0, term: p.status?.containerStatuses?.[0]?.state?.terminated }))
    .filter((p) => p.term !== undefined)
    .sort((a, b) => b.at - a.at);
  const message = ended[0]?.term?.message?.trim();
  return {
    state,
    ...(failed ? { reason: `${failed.reason ?? 'Failed'}: ${failed.message ?? ''}`.trim() } : {}),
    ...(message ? { message } : {}),
  };
}

export interface WorkloadRef {
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
}

/** The workload; undefined when it does not exist. */
async function readWorkload(kube: KubeClients, ref: WorkloadRef, call: CallOptions): Promise<V1Deployment | V1StatefulSet | undefined> {
  return withRetry(async () => {
    try {
      return ref.kind === 'Deployment'
        ? await kube.apps.readNamespacedDeployment({ namespace: ref.namespace, name: ref.name })
        : await kube.apps.readNamespacedStatefulSet({ namespace: ref.namespace, name: ref.name });
    } catch (err) {
      const e = KubeApiError.from(err, { kind: ref.kind, metadata: ref });
      if (e.status === 404) return undefined;
      throw e;
    }
  }, call);
}

/** The workload's spec.replicas and annotations; undefined when it does not exist. */
export async function readScale(kube: KubeClients, ref: WorkloadRef, call: CallOptions): Promise<{ replicas: number; readyReplicas: number; annotations: Record<string, string> } | undefined> {
  const w = await readWorkload(kube, ref, call);
  return w && { replicas: w.spec?.replicas ?? 1, readyReplicas: w.status?.readyReplicas ?? 0, annotations: w.metadata?.annotations ?? {} };
}

/** The image of one container of a workload's pod template; undefined when the workload does not exist. */
export async function readContainerImage(kube: KubeClients, ref: WorkloadRef & { container: string }, call: CallOptions): Promise<string | undefined> {
  return (await readWorkload(kube, ref, call))?.spec?.template.spec?.containers.find((c) => c.name === ref.container)?.image;
}

/** Names of the pods matching the selector (for waiting until a scaled-down workload's pods are gone). */
export async function podNames(kube: KubeClients, opts: { namespace: string; labelSelector: string }, call: CallOptions): Promise<string[]> {
  const pods = await withRetry(() => kube.core.listNamespacedPod(opts), call);
  return pods.items.map((p) => p.metadata?.name ?? '');
}

/**
 * Deletes a Job and waits until the API server no longer has it, so a Job of the same name can be
 * created again (Jobs are immutable: running one again means a new object). Throws past `attempts` polls.
 */
export async function deleteJobAndWait(kube: KubeClients, ref: { namespace: string; name: string }, call: CallOptions, attempts = 150): Promise<void> {
  await deleteJob(kube, ref, call);
  for (let i = 0; (await readJobRun(kube, ref, call)).state !== 'absent'; i++) {
    if (i >= attempts) throw new Error(`Job ${ref.namespace}/${ref.name} is not gone after ${attempts} checks`);
    await sleep(200, call.signal);
  }
}

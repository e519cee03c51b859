import type { KubernetesObjectApi, V1Container, V1Pod } from '@kubernetes/client-node';
import { KubeApiError } from './errors.js';

// Why a workload's pods are not running: the container waiting reasons the kubelet reports and the
// scheduler's verdict, read from the pods themselves (no Events: they need their own RBAC and expire).

/** One pod-level cause; `permanent` when no retry by the kubelet or the scheduler can clear it. */
export interface PodProblem {
  readonly message: string;
  readonly permanent: boolean;
}

/**
 * Waiting reasons the kubelet never recovers from without a spec change: the image reference does
 * not parse, or the pull policy forbids the pull the image needs.
 */
const PERMANENT_WAITING_REASONS = new Set(['InvalidImageName', 'ErrImageNeverPull']);

/** Waiting reasons of a container on its way up; everything else is worth naming. */
const BENIGN_WAITING_REASONS = new Set(['ContainerCreating', 'PodInitializing']);

/** Pod refusals by admission that only a spec change clears: Pod Security and LimitRange bounds. */
const PERMANENT_CREATE_FAILURE = /violates PodSecurity|(maximum|minimum) \S+ usage per (Container|Pod)|must be less than or equal to \S+ limit/;

const MAX_MESSAGE = 400;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE - 1)}…` : oneLine;
}

/** The pod template's images by container name (init containers included). */
export type TemplateImages = ReadonlyMap<string, string>;

export function templateImages(template: { spec?: { containers?: V1Container[]; initContainers?: V1Container[] } } | undefined): TemplateImages {
  const all = [...(template?.spec?.containers ?? []), ...(template?.spec?.initContainers ?? [])];
  return new Map(all.map((c) => [c.name, c.image ?? '']));
}

/** A pod still running an older template (e.g. the bad image before the fix) says nothing about the current one. */
function ofCurrentTemplate(pod: V1Pod, images: TemplateImages): boolean {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return containers.every((c) => !images.has(c.name) || images.get(c.name) === c.image);
}

/** What keeps one pod from running, if anything: a container's waiting reason, or the scheduler's refusal. */
export function podProblem(pod: V1Pod): PodProblem | undefined {
  const name = pod.metadata?.name ?? '?';
  if (pod.metadata?.deletionTimestamp) return undefined;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (!waiting?.reason || BENIGN_WAITING_REASONS.has(waiting.reason)) continue;
    const detail = waiting.message ? `: ${waiting.message}` : '';
    return { message: clip(`pod ${name}: container ${s.name} ${waiting.reason}${detail}`), permanent: PERMANENT_WAITING_REASONS.has(waiting.reason) };
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    // the scheduler keeps trying: a node may be added or freed (cluster autoscaler, a finished Job)
    return { message: clip(`pod ${name} unschedulable: ${scheduled.message ?? 'no node fits'}`), permanent: false };
  }
  return undefined;
}

/** The most telling problem among pods of the current template: a permanent one first. */
export function firstProblem(pods: readonly V1Pod[], images: TemplateImages): PodProblem | undefined {
  const problems = pods.filter((p) => ofCurrentTemplate(p, images)).map(podProblem).filter((p): p is PodProblem => p !== undefined);
  const first = problems.find((p) => p.permanent) ?? problems[0];
  if (!first) return undefined;
  return problems.length > 1 ? { ...first, message: `${first.message} (and ${problems.length - 1} more pods)` } : first;
}

/** A ReplicaSet could not create its pods (the Deployment's ReplicaFailure condition carries why). */
export function createFailure(message: string): PodProblem {
  return { message: clip(`pods not created: ${message}`), permanent: PERMANENT_CREATE_FAILURE.test(message) };
}

/** `k=v,...` from a workload's `spec.selector.matchLabels`; undefined when it has none. */
export function selectorOf(workload: { spec?: Record<string, unknown> }): string | undefined {
  const labels = (workload.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Lists the workload's pods and names what keeps them from running, if anything. */
export async function diagnosePods(
  api: KubernetesObjectApi, namespace: string, workload: { spec?: Record<string, unknown> },
): Promise<PodProblem | undefined> {
  const selector = selectorOf(workload);
  if (selector === undefined) return undefined;
  let pods: V1Pod[];
  try {
    pods = (await api.list<V1Pod>('v1', 'Pod', namespace, undefined, undefined, undefined, undefined, selector)).items;
  } catch (err) {
    throw KubeApiError.from(err, { kind: 'Pod', metadata: { namespace, name: selector } });
  }
  return firstProblem(pods, templateImages(workload.spec?.template as Parameters<typeof templateImages>[0]));
}

import { X509Certificate } from 'node:crypto';
import type { KubernetesObjectApi } from '@kubernetes/client-node';
import type { ReadinessRule, SynthesizedStep } from '../../constructs/readiness.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryDelay, sleep, type OnRetry, type RetryPolicy } from './retry.js';
import { AppError } from '../errors.js';
import { describeObject, KubeApiError } from './errors.js';
import { readIfExists } from './apply.js';
import { createFailure, diagnosePods, type PodProblem } from './diagnose.js';
import type { ChangeFeed, WatchedRef } from './change-feed.js';

/**
 * Either done, or a one-line account of what is still missing; `problem` names a pod-level cause
 * (a container's waiting reason, the scheduler's refusal) when one was looked for and found.
 */
export type ReadinessState =
  | { readonly ready: true }
  | { readonly ready: false; readonly message: string; readonly problem?: PodProblem };

export interface CheckOptions {
  /** Also list the workload's pods for a cause when it is not ready. @default false */
  readonly diagnose?: boolean;
  /** Where the rule's object is read from (undefined: absent). @default a GET from the API server */
  readonly read?: (ref: RuleObjectRef) => Promise<object | undefined>;
}

/** The one object a readiness rule reads. */
interface RuleObjectRef { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }

/** The step can never become ready as things stand (e.g. its Job failed). */
export class StepFailedError extends AppError {
  public readonly code = 'STEP_FAILED';
}

/** The step did not become ready within its timeout. */
export class StepTimeoutError extends AppError {
  public readonly code = 'STEP_TIMEOUT';
}

interface Condition { type?: string; status?: string; reason?: string; message?: string }
type Obj = {
  metadata?: { generation?: number; name?: string };
  spec?: Record<string, unknown> & { replicas?: number; hard?: Record<string, unknown> };
  status?: Record<string, unknown> & { conditions?: Condition[]; phase?: string; hard?: Record<string, unknown> };
};

function cond(o: Obj, type: string): Condition | undefined {
  return o.status?.conditions?.find((c) => c.type === type);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Evaluates a readiness rule once. API failures are thrown as KubeApiError for the caller to classify. */
export async function checkReadiness(
  api: KubernetesObjectApi, rule: ReadinessRule, objects: SynthesizedStep['objects'], opts: CheckOptions = {},
): Promise<ReadinessState> {
  /** Not ready yet: with the pods' own cause appended when one is known or looked for and found. */
  const waiting = async (message: string, namespace: string, workload: Obj, known?: PodProblem): Promise<ReadinessState> => {
    const problem = known ?? (opts.diagnose ? await diagnosePods(api, namespace, workload) : undefined);
    return problem ? { ready: false, message: `${message}; ${problem.message}`, problem } : { ready: false, message };
  };
  const read = async (ref: RuleObjectRef): Promise<Obj | undefined> => (opts.read ? await opts.read(ref) : await readIfExists(api, ref as never)) as Obj | undefined;
  switch (rule.kind) {
    case 'Applied': {
      for (const obj of objects) {
        const found = await readIfExists(api, obj as never);
        if (!found) return { ready: false, message: `${describeObject(obj)} not found` };
      }
      return { ready: true };
    }
    case 'Gone': {
      for (const obj of objects) {
        if (await readIfExists(api, obj as never)) return { ready: false, message: `${describeObject(obj)} is still being deleted` };
      }
      return { ready: true };
    }
    case 'NamespaceActive': {
      const ns = await read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: rule.name } });
      if (!ns) return { ready: false, message: `Namespace ${rule.name} not found` };
      const phase = ns.status?.phase;
      return phase === 'Active' ? { ready: true } : { ready: false, message: `Namespace ${rule.name} is ${phase ?? 'not yet Active'}` };
    }
    case 'QuotaObserved': {
      const q = await read({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: rule.name, namespace: rule.namespace } });
      if (!q) return { ready: false, message: `ResourceQuota ${rule.namespace}/${rule.name} not found` };
      const spec = q.spec?.hard ?? {};
      const want = Object.keys(spec);
      const have = q.status?.hard ?? {};
      // the API server serializes both sides canonically, so a changed limit shows as a string difference
      const missing = want.filter((k) => !(k in have) || String(have[k]) !== String(spec[k]));
      return missing.length === 0 && want.length > 0
        ? { ready: true }
        : { ready: false, message: `ResourceQuota ${rule.namespace}/${rule.name} not yet observed by the quota controller` };
    }
    case 'StatefulSetReady': {
      const s = await read({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: rule.name, namespace: rule.namespace } });
      const what = `StatefulSet ${rule.namespace}/${rule.name}`;
      if (!s) return { ready: false, message: `${what} not found` };
      const want = s.spec?.replicas ?? 1;
      const st = s.status ?? {};
      if (num(st.observedGeneration) < (s.metadata?.generation ?? 0)) return { ready: false, message: `${what}: spec change not yet observed` };
      const ready = num(st.readyReplicas);
      if (ready < want) return waiting(`${what}: ${ready}/${want} replicas ready`, rule.namespace, s);
      if (st.updateRevision && st.currentRevision && st.updateRevision !== st.currentRevision) {
        return waiting(`${what}: rolling out revision ${String(st.updateRevision)}`, rule.namespace, s);
      }
      return { ready: true };
    }
    case 'DeploymentAvailable': {
      const d = await read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: rule.name, namespace: rule.namespace } });
      const what = `Deployment ${rule.namespace}/${rule.name}`;
      if (!d) return { ready: false, message: `${what} not found` };
      const want = d.spec?.replicas ?? 1;
      const st = d.status ?? {};
      const progressing = cond(d, 'Progressing');
      if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
        throw new StepFailedError(`${what}: ${progressing.message ?? 'progress deadline exceeded'}`);
      }
      if (num(st.observedGeneration) < (d.metadata?.generation ?? 0)) return { ready: false, message: `${what}: spec change not yet observed` };
      // the ReplicaSet could not create pods at all (quota, LimitRange, Pod Security): the Deployment says why
      const replicaFailure = cond(d, 'ReplicaFailure');
      const refused = replicaFailure?.status === 'True' ? createFailure(replicaFailure.message ?? replicaFailure.reason ?? 'FailedCreate') : undefined;
      // the rollout-status rule: every replica updated, no old ones left, all updated ones available
      const updated = num(st.updatedReplicas);
      if (updated < want) return waiting(`${what}: ${updated}/${want} replicas updated`, rule.namespace, d, refused);
      if (num(st.replicas) > updated) return waiting(`${what}: ${num(st.replicas) - updated} old replicas pending termination`, rule.namespace, d, refused);
      if (num(st.availableReplicas) < updated) return waiting(`${what}: ${num(st.availableReplicas)}/${want} replicas available`, rule.namespace, d, refused);
      if (cond(d, 'Available')?.status !== 'True') return waiting(`${what}: not Available`, rule.namespace, d, refused);
      return { ready: true };
    }
    case 'JobComplete': {
      const j = await read({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: rule.name, namespace: rule.namespace } });
      const what = `Job ${rule.namespace}/${rule.name}`;
      if (!j) return { ready: false, message: `${what} not found` };
      const failed = cond(j, 'Failed');
      if (failed?.status === 'True') throw new StepFailedError(`${what} failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim());
      if (cond(j, 'Complete')?.status === 'True') return { ready: true };
      return waiting(`${what}: ${num(j.status?.active)} active, ${num(j.status?.succeeded)} succeeded`, rule.namespace, j);
    }
    case 'CertificateIssued': {
      const secret = await read({ apiVersion: 'v1', kind: 'Secret', metadata: { name: rule.secretName, namespace: rule.namespace } });
      const what = `TLS Secret ${rule.namespace}/${rule.secretName}`;
      if (!secret) return { ready: false, message: `${what} not found: waiting for cert-manager to issue the certificate for ${rule.host}` };
      return certificateState(what, (secret as { data?: Record<string, string> }).data?.['tls.crt'], rule.host, Date.now());
    }
    case 'WorkloadStopped': {
      const w = await readIfExists<Obj & { apiVersion: string; kind: string }>(api, { apiVersion: 'apps/v1', kind: rule.workload, metadata: { name: rule.name, namespace: rule.namespace } });
      const what = `${rule.workload} ${rule.namespace}/${rule.name}`;
      if (!w) return { ready: true };
      const want = w.spec?.replicas ?? 1;
      if (want !== 0) return { ready: false, message: `${what} wants ${want} replicas` };
      if (num(w.status?.observedGeneration) < (w.metadata?.generation ?? 0)) return { ready: false, message: `${what}: scale-down not yet observed` };
      if (num(w.status?.replicas) > 0) return { ready: false, message: `${what}: ${num(w.status?.replicas)} replicas left` };
      const selector = Object.entries((w.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`).join(',');
      if (selector === '') throw new StepFailedError(`${what} has no matchLabels selector to find its pods by`);
      const pods = (await api.list('v1', 'Pod', rule.namespace, undefined, undefined, undefined, undefined, selector)).items;
      return pods.length === 0 ? { ready: true } : { ready: false, message: `${what}: ${pods.length} pods still shutting down` };
    }
    default: {
      const never: never = rule;
      throw new StepFailedError(`unknown readiness rule ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Whether a Secret's `tls.crt` (base64 PEM, leaf first) serves `host` now. A certificate that does not
 * (yet) is "waiting": cert-manager replaces a wrong or expired one by itself, so the step's deadline decides.
 */
export function certificateState(what: string, encoded: string | undefined, host: string, now: number): ReadinessState {
  if (!encoded) return { ready: false, message: `${what} has no tls.crt yet` };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(encoded, 'base64'));
  } catch {
    return { ready: false, message: `${what}: tls.crt is not a PEM certificate` };
  }
  if (cert.checkHost(host) === undefined) return { ready: false, message: `${what}: the certificate is for ${cert.subjectAltName ?? cert.subject}, not ${host}` };
  if (Date.parse(cert.validFrom) > now) return { ready: false, message: `${what}: the certificate is valid only from ${cert.validFrom}` };
  if (Date.parse(cert.validTo) <= now) return { ready: false, message: `${what}: the certificate expired on ${cert.validTo}` };
  return { ready: true };
}

export interface WaitOptions {
  /** Epoch ms; StepTimeoutError after it. */
  readonly deadline: number;
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  /** Poll interval schedule while the rule is not met (capped exponential); the poll never sleeps past the deadline. */
  readonly poll?: RetryPolicy;
  /** Backoff while the API server fails (the platform's retry policy, Retry-After honoured). @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
  /** A poll failed transiently (API server away); the provisioner records it on the timeline. */
  readonly onRetry?: OnRetry;
  /** A new pod-level cause while waiting (ImagePullBackOff, unschedulable, ...); the provisioner records it on the timeline. */
  readonly onWaiting?: (problem: string) => void;
  /** Wakes the wait when the rule's object changes; without it (or while its watch is down) the rule is polled. */
  readonly changes?: ChangeFeed;
  readonly now?: () => number;
}

const DEFAULT_POLL: RetryPolicy = { baseMs: 100, maxMs: 1_000 };
/** An ACME order takes seconds to minutes, and no watch covers Secrets: a slower poll saves requests. */
const CERTIFICATE_POLL: RetryPolicy = { baseMs: 1_000, maxMs: 10_000 };

/**
 * With a watch, the longest a wait sleeps without a change: a pod's trouble (an image that cannot be
 * pulled) changes no object a rule reads, so it is looked for at least this often.
 */
const WATCHED_RECHECK_MS = 5_000;

/** The one object whose changes can make the rule true; undefined for rules that need no waiting. */
function watchedRef(rule: ReadinessRule): WatchedRef | undefined {
  switch (rule.kind) {
    case 'Applied': return undefined;
    case 'NamespaceActive': return { kind: 'Namespace', name: rule.name };
    case 'QuotaObserved': return { kind: 'ResourceQuota', namespace: rule.namespace, name: rule.name };
    case 'StatefulSetReady': return { kind: 'StatefulSet', namespace: rule.namespace, name: rule.name };
    case 'DeploymentAvailable': return { kind: 'Deployment', namespace: rule.namespace, name: rule.name };
    case 'JobComplete': return { kind: 'Job', namespace: rule.namespace, name: rule.name };
  }
}

/** Pods are looked at only once a step has waited this long: most steps are ready before, at no extra cost. */
const DIAGNOSE_AFTER_MS = 2_000;

/**
 * Checks the rule until ready, a permanent failure, or the deadline. Between checks it sleeps until the
 * rule's object changes (opts.changes, while its watch is up; at most WATCHED_RECHECK_MS), else polls with
 * backoff. Every check reads the object fresh, so the watch saves requests without ever deciding. A
 * pod-level cause that cannot clear by itself (e.g. InvalidImageName) fails the step at once instead of
 * at the deadline.
 */
export async function waitForReady(api: KubernetesObjectApi, step: Pick<SynthesizedStep, 'readiness' | 'objects' | 'name'>, opts: WaitOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  const poll = opts.poll ?? (step.readiness.kind === 'CertificateIssued' ? CERTIFICATE_POLL : DEFAULT_POLL);
  const retry = opts.retry ?? DEFAULT_RETRY_POLICY;
  const started = now();
  let last = 'not checked yet';
  let reported: string | undefined;
  let failures = 0;
  const ref = watchedRef(step.readiness);
  for (let i = 1; ; i++) {
    opts.signal?.throwIfAborted();
    // armed before the read, so a change landing between the read and the sleep still wakes it
    const wake = ref && opts.changes?.watching(ref.kind)
      ? opts.changes.nextChange(ref, Math.max(0, Math.min(WATCHED_RECHECK_MS, opts.deadline - now())), opts.signal)
      : undefined;
    let delay: number;
    try {
      const state = await checkReadiness(api, step.readiness, step.objects, { diagnose: now() - started >= DIAGNOSE_AFTER_MS });
      if (state.ready) {
        wake?.cancel();
        return;
      }
      last = state.message;
      failures = 0;
      if (state.problem?.permanent) throw new StepFailedError(`${state.message} (cannot clear without a spec change)`);
      if (state.problem && state.problem.message !== reported) {
        reported = state.problem.message;
        opts.onWaiting?.(state.problem.message);
      }
      delay = backoffDelay(i, poll, () => 1);
    } catch (raw) {
      wake?.cancel();
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (raw instanceof StepFailedError) throw raw;
      const err = KubeApiError.from(raw);
      if (!err.transient) throw err;
      failures++;
      last = err.message;
      delay = retryDelay(err, failures, retry);
      opts.onRetry?.(err, failures, delay);
    }
    const left = opts.deadline - now();
    if (left <= 0) {
      wake?.cancel();
      throw new StepTimeoutError(`step '${step.name}' not ready after ${opts.timeoutSeconds}s: ${last}`);
    }
    if (wake && ref && opts.changes && failures === 0) await sleepWhileCachedWaiting(api, step, ref, opts.changes, wake, opts, now);
    else await sleep(Math.min(delay, left), opts.signal);
  }
}

/**
 * After a fresh "not ready", sleeps on the watch for as long as its copy of the object also says "not
 * ready yet", so the status updates a rollout goes through cost no requests; returns when the copy looks
 * ready or failed (a fresh read decides: the copy may be an event behind), when the object was quiet
 * for WATCHED_RECHECK_MS or the last fresh read is that old (pods are looked at then), or at the deadline.
 */
async function sleepWhileCachedWaiting(
  api: KubernetesObjectApi, step: Pick<SynthesizedStep, 'readiness' | 'objects'>, ref: WatchedRef, changes: ChangeFeed,
  first: ReturnType<ChangeFeed['nextChange']>, opts: WaitOptions, now: () => number,
): Promise<void> {
  const freshAt = now();
  let wake = first;
  for (;;) {
    if ((await wake.changed) === 'quiet') return;
    const left = Math.min(WATCHED_RECHECK_MS - (now() - freshAt), opts.deadline - now());
    if (left <= 0 || opts.signal?.aborted) return;
    const next = changes.nextChange(ref, left, opts.signal); // armed before the copy is judged
    const copy = changes.cached(ref);
    let waiting = false;
    if (copy) {
      try {
        const state = await checkReadiness(api, step.readiness, step.objects, { read: async () => copy });
        waiting = !state.ready && !state.problem?.permanent;
      } catch {
        waiting = false; // a failure on the copy is confirmed (or not) by a fresh read
      }
    }
    if (!waiting) {
      next.cancel();
      return;
    }
    wake = next;
  }
}

import type { KubernetesObjectApi } from '@kubernetes/client-node';
import type { ReadinessRule, SynthesizedStep } from '../../constructs/readiness.js';
import { backoffDelay, sleep, type OnRetry, type RetryPolicy } from './retry.js';
import { AppError } from '../errors.js';
import { describeObject, KubeApiError } from './errors.js';
import { readIfExists } from './apply.js';

/** Either done, or a one-line account of what is still missing. */
export type ReadinessState = { readonly ready: true } | { readonly ready: false; readonly message: string };

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
  api: KubernetesObjectApi, rule: ReadinessRule, objects: SynthesizedStep['objects'],
): Promise<ReadinessState> {
  switch (rule.kind) {
    case 'Applied': {
      for (const obj of objects) {
        const found = await readIfExists(api, obj as never);
        if (!found) return { ready: false, message: `${describeObject(obj)} not found` };
      }
      return { ready: true };
    }
    case 'NamespaceActive': {
      const ns = await readIfExists<Obj & { apiVersion: string; kind: string }>(api, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: rule.name } });
      if (!ns) return { ready: false, message: `Namespace ${rule.name} not found` };
      const phase = ns.status?.phase;
      return phase === 'Active' ? { ready: true } : { ready: false, message: `Namespace ${rule.name} is ${phase ?? 'not yet Active'}` };
    }
    case 'QuotaObserved': {
      const q = await readIfExists<Obj & { apiVersion: string; kind: string }>(api, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: rule.name, namespace: rule.namespace } });
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
      const s = await readIfExists<Obj & { apiVersion: string; kind: string }>(api, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: rule.name, namespace: rule.namespace } });
      const what = `StatefulSet ${rule.namespace}/${rule.name}`;
      if (!s) return { ready: false, message: `${what} not found` };
      const want = s.spec?.replicas ?? 1;
      const st = s.status ?? {};
      if (num(st.observedGeneration) < (s.metadata?.generation ?? 0)) return { ready: false, message: `${what}: spec change not yet observed` };
      const ready = num(st.readyReplicas);
      if (ready < want) return { ready: false, message: `${what}: ${ready}/${want} replicas ready` };
      if (st.updateRevision && st.currentRevision && st.updateRevision !== st.currentRevision) {
        return { ready: false, message: `${what}: rolling out revision ${String(st.updateRevision)}` };
      }
      return { ready: true };
    }
    case 'DeploymentAvailable': {
      const d = await readIfExists<Obj & { apiVersion: string; kind: string }>(api, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: rule.name, namespace: rule.namespace } });
      const what = `Deployment ${rule.namespace}/${rule.name}`;
      if (!d) return { ready: false, message: `${what} not found` };
      const want = d.spec?.replicas ?? 1;
      const st = d.status ?? {};
      const progressing = cond(d, 'Progressing');
      if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
        throw new StepFailedError(`${what}: ${progressing.message ?? 'progress deadline exceeded'}`);
      }
      if (num(st.observedGeneration) < (d.metadata?.generation ?? 0)) return { ready: false, message: `${what}: spec change not yet observed` };
      // the rollout-status rule: every replica updated, no old ones left, all updated ones available
      const updated = num(st.updatedReplicas);
      if (updated < want) return { ready: false, message: `${what}: ${updated}/${want} replicas updated` };
      if (num(st.replicas) > updated) return { ready: false, message: `${what}: ${num(st.replicas) - updated} old replicas pending termination` };
      if (num(st.availableReplicas) < updated) return { ready: false, message: `${what}: ${num(st.availableReplicas)}/${want} replicas available` };
      if (cond(d, 'Available')?.status !== 'True') return { ready: false, message: `${what}: not Available` };
      return { ready: true };
    }
    case 'JobComplete': {
      const j = await readIfExists<Obj & { apiVersion: string; kind: string }>(api, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: rule.name, namespace: rule.namespace } });
      const what = `Job ${rule.namespace}/${rule.name}`;
      if (!j) return { ready: false, message: `${what} not found` };
      const failed = cond(j, 'Failed');
      if (failed?.status === 'True') throw new StepFailedError(`${what} failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim());
      if (cond(j, 'Complete')?.status === 'True') return { ready: true };
      return { ready: false, message: `${what}: ${num(j.status?.active)} active, ${num(j.status?.succeeded)} succeeded` };
    }
    default: {
      const never: never = rule;
      throw new StepFailedError(`unknown readiness rule ${JSON.stringify(never)}`);
    }
  }
}

export interface WaitOptions {
  /** Epoch ms; StepTimeoutError after it. */
  readonly deadline: number;
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  /** Poll interval schedule (capped exponential); the poll never sleeps past the deadline. */
  readonly poll?: RetryPolicy;
  /** A poll failed transiently (API server away); the provisioner records it on the timeline. */
  readonly onRetry?: OnRetry;
  readonly now?: () => number;
}

const DEFAULT_POLL: RetryPolicy = { baseMs: 100, maxMs: 1_000 };

/**
 * Polls the rule with backoff until ready, a permanent failure, or the deadline. Polling (rather than a
 * watch) survives API server restarts without re-listing logic, and kwok's objects settle in well under a
 * second so the first few polls are cheap and quick.
 */
export async function waitForReady(api: KubernetesObjectApi, step: Pick<SynthesizedStep, 'readiness' | 'objects' | 'name'>, opts: WaitOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  const poll = opts.poll ?? DEFAULT_POLL;
  let last = 'not checked yet';
  let failures = 0;
  for (let i = 1; ; i++) {
    opts.signal?.throwIfAborted();
    let delay: number;
    try {
      const state = await checkReadiness(api, step.readiness, step.objects);
      if (state.ready) return;
      last = state.message;
      failures = 0;
      delay = backoffDelay(i, poll, () => 1);
    } catch (raw) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (raw instanceof StepFailedError) throw raw;
      const err = KubeApiError.from(raw);
      if (!err.transient) throw err;
      failures++;
      last = err.message;
      delay = Math.min(poll.maxMs * 2, Math.max(err.retryAfterMs ?? 0, backoffDelay(failures, poll)));
      opts.onRetry?.(err, failures, delay);
    }
    const left = opts.deadline - now();
    if (left <= 0) throw new StepTimeoutError(`step '${step.name}' not ready after ${opts.timeoutSeconds}s: ${last}`);
    await sleep(Math.min(delay, left), opts.signal);
  }
}

import type { SynthesizedStep } from '../../constructs/index.js';
import type { DesiredState } from '../manifests/desired.js';
import type { Logger } from '../logger.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import {
  CancelledError, ensureObject, isOwned, readNamespace, StepTimeoutError, waitForReady, withRetry, type ApplyMode,
} from '../k8s/index.js';
import { messageOf, timelineCall, type ReconcilerDeps, type PhaseRun } from './phase.js';
import { PLATFORM_STEPS } from './timeline.js';
import { withDatabaseServer } from './database-server.js';

// The provision phase: walk the synthesized steps in order; each applies its objects and waits for its
// readiness rule, and every step and transition lands on the timeline.

/** A step failed for good: carries the step for the Failed status. */
export class StepError extends Error {
  public constructor(public readonly step: SynthesizedStep | { name: string; title: string }, public readonly reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'StepError';
  }
}

/** Where a step sits in its run. */
interface StepRun {
  readonly index: number;
  readonly total: number;
  readonly desired: DesiredState;
  readonly mode: ApplyMode;
  readonly attempt: number;
  readonly signal: AbortSignal;
}

/**
 * Provisions (or re-applies) the store from where its row says. Returns the Failed row when it failed
 * (the engine then tears it down if asked), undefined otherwise. Owns its errors.
 */
export async function provision(d: ReconcilerDeps, initial: StoreRow, run: PhaseRun): Promise<StoreRow | undefined> {
  const { timeline, events, status, log: rootLog } = d;
  const id = initial.id;
  const log = rootLog.child({ storeId: id, slug: initial.slug });
  const { signal } = run;
  const runStart = Date.now();
  let current: { name: string; title: string } = { name: PLATFORM_STEPS.store, title: 'Store' };
  try {
    let row = initial;
    const resumeFrom = initial.status === 'Pending' ? initial.failedStep : null;
    if (row.status === 'Pending') {
      const moved = status.transition(id, 'Provisioning', { statusReason: null, failedStep: null });
      if (!moved) return undefined; // deleted meanwhile
      row = moved;
    }
    row = await withDatabaseServer(d, row, timelineCall(d, id, PLATFORM_STEPS.store, signal));
    let desired: DesiredState;
    try {
      desired = d.desired(row);
    } catch (err) {
      const step = { name: 'synthesize', title: 'Synthesize manifests' };
      timeline.record(id, step.name, 'failed', messageOf(err));
      throw new StepError(step, messageOf(err), { cause: err });
    }
    const steps = desired.steps;
    const history = events.list(id);
    const failedBefore = history.some((e) => e.phase === 'failed');
    // First provisioning creates; a retry after a fix or a spec change server-side applies so the new spec wins
    const mode: ApplyMode = row.readyAt || row.generation > 1 || failedBefore ? 'apply' : 'create';
    let startAt = 0;
    if (resumeFrom) {
      const idx = steps.findIndex((s) => s.name === resumeFrom);
      const ns = idx > 0 ? await readNamespace(d.kube, desired.namespace, timelineCall(d, id, PLATFORM_STEPS.store, signal)) : undefined;
      if (idx > 0 && ns && isOwned(ns.labels, desired.owner)) {
        startAt = idx;
        timeline.record(id, PLATFORM_STEPS.store, 'info', `Retry: resuming at step '${resumeFrom}'; the ${idx} steps before it succeeded earlier`);
      } else {
        timeline.record(id, PLATFORM_STEPS.store, 'info', idx > 0
          ? `Retry: namespace ${desired.namespace} is gone, starting over from the first step`
          : 'Retry: starting over from the first step');
      }
    } else if (initial.status === 'Pending') {
      timeline.record(id, PLATFORM_STEPS.store, 'info', `Provisioning started: ${steps.length} steps`);
    } else if (run.recovered) {
      timeline.record(id, PLATFORM_STEPS.store, 'info', 'Resumed after an engine restart: walking every step again (objects already present are kept)');
    }

    const attempts = new Map<string, number>();
    for (const e of history) if (e.phase === 'started') attempts.set(e.step, (attempts.get(e.step) ?? 0) + 1);

    // the closing row carries this run's number: the highest attempt of the steps it walked
    let runAttempt = 1;
    for (let i = startAt; i < steps.length; i++) {
      const step = steps[i]!;
      current = step;
      const attempt = (attempts.get(step.name) ?? 0) + 1;
      runAttempt = Math.max(runAttempt, attempt);
      await runStep(d, row, step, { index: i, total: steps.length, desired, mode, attempt, signal }, log);
    }

    if (d.seedFromBackup(row)) {
      log.info({ backupId: row.sourceBackupId, durationMs: Date.now() - runStart }, 'Store provisioned; restoring its backup');
      return undefined;
    }
    const ready = status.transition(id, 'Ready', {
      readyAt: new Date(), observedGeneration: row.generation, statusReason: null, failedStep: null,
    }, {
      step: PLATFORM_STEPS.store, phase: 'succeeded', message: `Store is Ready (${steps.length - startAt} steps)`,
      durationMs: Date.now() - runStart, attempt: runAttempt,
    });
    if (ready) log.info({ durationMs: Date.now() - runStart }, 'Store ready');
    return undefined;
  } catch (err) {
    if (err instanceof CancelledError || signal.aborted) {
      const why = err instanceof CancelledError ? err.why : 'shutdown';
      timeline.record(id, current.name, 'info', why === 'delete'
        ? 'Provisioning cancelled: the store is being deleted'
        : 'Interrupted by engine shutdown; the next start resumes here');
      log.info({ step: current.name, why }, 'Provisioning interrupted');
      return undefined;
    }
    const step = err instanceof StepError ? err.step : current;
    const reason = err instanceof StepError ? err.reason : messageOf(err);
    if (!(err instanceof StepError)) {
      timeline.record(id, step.name, 'failed', reason);
      log.error({ err, step: step.name }, 'Provisioning failed unexpectedly');
    } else {
      log.warn({ step: step.name, reason }, 'Provisioning failed');
    }
    return status.transition(id, 'Failed', { failedStep: step.name, statusReason: `${step.title}: ${reason}` });
  }
}

/**
 * Walks every step of `desired` in `mode`, each applied and waited for, the way provisioning does (an
 * upgrade walks a store's steps on its new release). Throws StepError naming the step that failed.
 */
export async function walkSteps(d: ReconcilerDeps, row: StoreRow, desired: DesiredState, mode: ApplyMode, signal: AbortSignal, log: Logger): Promise<void> {
  const attempts = new Map<string, number>();
  for (const e of d.events.list(row.id)) if (e.phase === 'started') attempts.set(e.step, (attempts.get(e.step) ?? 0) + 1);
  const steps = desired.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    await runStep(d, row, step, { index: i, total: steps.length, desired, mode, attempt: (attempts.get(step.name) ?? 0) + 1, signal }, log);
  }
}

async function runStep(d: ReconcilerDeps, row: StoreRow, step: SynthesizedStep, at: StepRun, parentLog: Logger): Promise<void> {
  const { index, total, desired, mode, attempt, signal } = at;
  const { timeline, kube, options } = d;
  const log = parentLog.child({ step: step.name });
  const timeoutSeconds = options.stepTimeouts?.[step.name] ?? options.stepTimeoutSeconds ?? step.timeoutSeconds;
  const t0 = Date.now();
  const deadline = t0 + timeoutSeconds * 1000;
  timeline.record(row.id, step.name, 'started', `${step.title} (step ${index + 1} of ${total})`, { attempt });
  const call = { ...timelineCall(d, row.id, step.name, signal, log), deadline };
  const counts = { created: 0, exists: 0, applied: 0 };
  try {
    for (const obj of step.objects) {
      const outcome = await withRetry(() => ensureObject(kube.objects, obj, desired.owner, mode), call);
      counts[outcome]++;
      log.info({ kind: obj.kind, name: obj.metadata.name, outcome }, outcome === 'created' ? `Created ${obj.kind}` : `${obj.kind} ${outcome === 'exists' ? 'already present' : 'applied'}`);
    }
    // 'Applied' already holds: every object above was created, found or applied; reading each back costs a request
    if (step.readiness.kind !== 'Applied') {
      await waitForReady(kube.objects, step, {
        deadline, timeoutSeconds, signal, retry: options.retry, changes: kube.changes,
        ...(call.onRetry ? { onRetry: call.onRetry } : {}),
        onWaiting: (problem) => {
          timeline.record(row.id, step.name, 'info', `Waiting: ${problem}`, { attempt });
          log.warn({ problem }, 'Step waiting on its pods');
        },
      });
    }
  } catch (err) {
    if (err instanceof CancelledError || signal.aborted) throw signal.aborted ? signal.reason : err;
    const reason = err instanceof StepTimeoutError ? err.message : `${messageOf(err)}`;
    timeline.record(row.id, step.name, 'failed', reason, { durationMs: Date.now() - t0, attempt });
    throw new StepError(step, reason, { cause: err });
  }
  const parts = [
    counts.created && `${counts.created} created`,
    counts.exists && `${counts.exists} already present`,
    counts.applied && `${counts.applied} applied`,
  ].filter(Boolean);
  timeline.record(row.id, step.name, 'succeeded', `${step.title}: ${parts.length ? parts.join(', ') : 'nothing to apply'}; ready`, {
    durationMs: Date.now() - t0, attempt,
  });
}

import type { EngineComponent, KubeObject, ReadinessRule, SynthesizedStep } from '../../constructs/index.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import type { Logger } from '../logger.js';
import type { DesiredState } from '../manifests/desired.js';
import { componentsOfRow, engineOfRow } from '../manifests/desired.js';
import {
  CancelledError, deleteOwnedObject, ensureObject, isOwned, readNamespace, scaleWorkload, setCronJobSuspended, StepTimeoutError, waitForReady,
  withRetry, type CallOptions,
} from '../k8s/index.js';
import { messageOf, timelineCall, type PhaseRun, type ReconcilerDeps } from './phase.js';
import { PLATFORM_STEPS } from './timeline.js';

// Suspend and resume: a Ready store's workloads scaled to zero behind a maintenance page, and back.
// Level-triggered like provisioning: every step reads or sets the state it wants and can run again,
// so a run interrupted anywhere (engine restart, API outage) is finished by walking every step again.

/** Names and titles of the steps on the timeline; a failed one becomes `failedStep`, and retry re-runs its phase. */
export const SUSPEND_STEPS = {
  maintenance: { name: 'suspend-maintenance', title: 'Maintenance page' },
  ingress: { name: 'suspend-ingress', title: 'Ingress to the maintenance page' },
  cronJobs: { name: 'suspend-cronjobs', title: 'Suspend CronJobs' },
  workloads: { name: 'suspend-workloads', title: 'Scale workloads to zero' },
} as const;

export const RESUME_STEPS = {
  workloads: { name: 'resume-workloads', title: 'Scale workloads back' },
  cronJobs: { name: 'resume-cronjobs', title: 'Resume CronJobs' },
  ingress: { name: 'resume-ingress', title: 'Ingress back to the store' },
  maintenance: { name: 'resume-maintenance', title: 'Remove the maintenance page' },
  check: { name: 'resume-check', title: 'Store check' },
} as const;

/** How long scaling a workload down (or up, and becoming ready) may take. */
const WORKLOADS_TIMEOUT_SECONDS = 300;
const QUICK_TIMEOUT_SECONDS = 60;

/** A step failed for good: carries the step for the Failed status. */
class PhaseStepError extends Error {
  public constructor(public readonly step: { name: string; title: string }, public readonly reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'PhaseStepError';
  }
}

/** What one step of the phase gets: the deadline and call options of its own run. */
interface StepContext {
  /** The store's id. */
  readonly id: string;
  readonly call: CallOptions & { deadline: number };
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

interface PhaseStep {
  readonly name: string;
  readonly title: string;
  readonly timeoutSeconds: number;
  /** Does the step's work and returns the timeline's one-line summary. */
  run(ctx: StepContext): Promise<string>;
}

/** What a store's suspend and resume act on, all derived from its desired state (nothing engine-specific here). */
export interface SuspendTargets {
  readonly desired: DesiredState;
  /** The engine's workloads, in its order (databases first), with the replicas its plan runs. */
  readonly workloads: readonly (EngineComponent & { readonly replicas: number })[];
  readonly cronJobs: readonly string[];
  /** The store's own Ingress, as synthesized. */
  readonly ingress: KubeObject;
  /** Steps of the maintenance page: the responder, then the re-pointed Ingress. */
  readonly maintenance: readonly SynthesizedStep[];
  /** The engine's check step. */
  readonly check: SynthesizedStep;
}

/** The names of the CronJobs in a store's desired state (WooCommerce's `wp-cron`). */
export function cronJobsOf(desired: DesiredState): string[] {
  return desired.steps.flatMap((s) => s.objects).filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name);
}

/**
 * The workloads (the engine's components for the plan), CronJobs, Ingress and check step of a store's
 * desired state, and its maintenance page. Pure; throws when the desired state lacks one of them.
 */
export function suspendTargets(row: Pick<StoreRow, 'engine' | 'plan'>, desired: DesiredState, maintenance: readonly SynthesizedStep[]): SuspendTargets {
  const objects = desired.steps.flatMap((s) => s.objects);
  const workloads = Object.values(componentsOfRow(row)).map((c) => {
    const obj = objects.find((o) => o.kind === c.kind && o.metadata.name === c.name);
    if (!obj) throw new Error(`the store's desired state has no ${c.kind} ${c.name}`);
    const replicas = (obj as { spec?: { replicas?: number } }).spec?.replicas ?? 1;
    return { ...c, replicas };
  });
  const ingress = objects.filter((o) => o.kind === 'Ingress');
  if (ingress.length !== 1) throw new Error(`the store's desired state has ${ingress.length} Ingresses, expected one`);
  const checkStep = engineOfRow(row).checkStep;
  const check = desired.steps.find((s) => s.name === checkStep);
  if (!check) throw new Error(`the store's desired state has no '${checkStep}' step`);
  if (maintenance.length !== 2) throw new Error(`the maintenance page has ${maintenance.length} steps, expected two`);
  return {
    desired, workloads, ingress: ingress[0]!, maintenance, check, cronJobs: cronJobsOf(desired),
  };
}

function targetsOf(d: ReconcilerDeps, row: StoreRow): SuspendTargets {
  const desired = d.desired(row);
  return suspendTargets(row, desired, d.maintenance(row, desired));
}

const hostOf = (ingress: KubeObject): string => (ingress as { spec?: { rules?: { host?: string }[] } }).spec?.rules?.[0]?.host ?? ingress.metadata.name;

/** The suspend steps, in order: the page first, so shoppers never see an error while the workloads stop. */
function suspendSteps(d: ReconcilerDeps, t: SuspendTargets): PhaseStep[] {
  const { namespace, owner } = t.desired;
  return [
    applyStep(d, SUSPEND_STEPS.maintenance, t.maintenance[0]!, owner),
    applyStep(d, SUSPEND_STEPS.ingress, t.maintenance[1]!, owner),
    {
      ...SUSPEND_STEPS.cronJobs, timeoutSeconds: QUICK_TIMEOUT_SECONDS,
      run: async ({ call }) => {
        const out = await Promise.all(t.cronJobs.map((name) => setCronJobSuspended(d.kube, { namespace, name, suspend: true }, call)));
        return t.cronJobs.length === 0 ? 'no CronJobs' : `suspended ${t.cronJobs.join(', ')}${out.includes('absent') ? ' (some absent)' : ''}`;
      },
    },
    {
      ...SUSPEND_STEPS.workloads, timeoutSeconds: WORKLOADS_TIMEOUT_SECONDS,
      run: async (ctx) => {
        // every workload at once (the web tier must not outlive its database by much), then wait for each
        for (const w of t.workloads) await scaleWorkload(d.kube, { namespace, kind: w.kind, name: w.name, replicas: 0 }, ctx.call);
        for (const w of t.workloads) {
          await wait(d, { kind: 'WorkloadStopped', namespace, workload: w.kind, name: w.name }, SUSPEND_STEPS.workloads.name, ctx);
        }
        return `${t.workloads.map((w) => w.name).join(', ')} at 0 replicas, every pod gone; volumes and Secrets kept`;
      },
    },
  ];
}

/** Ready -> Suspending -> Suspended. */
export async function suspendStore(d: ReconcilerDeps, row: StoreRow, run: PhaseRun): Promise<void> {
  await runPhase(d, row, run, {
    summary: PLATFORM_STEPS.suspend,
    verb: 'Suspending',
    build: (t) => suspendSteps(d, t),
    done: (t) => `Store is Suspended: ${t.workloads.length} workloads at 0 replicas, the maintenance page answers on ${hostOf(t.ingress)}`,
    to: 'Suspended',
  });
}

/**
 * A soft delete: the suspend steps, and the store stays Deleting until its purge time (or an undelete).
 * A failure is the delete's (Failed at `delete`), so a retry deletes again rather than suspends.
 */
export async function parkStore(d: ReconcilerDeps, row: StoreRow, run: PhaseRun): Promise<void> {
  const until = row.purgeAt?.toISOString() ?? 'its purge';
  await runPhase(d, row, run, {
    summary: PLATFORM_STEPS.delete,
    verb: 'Deleting',
    build: (t) => suspendSteps(d, t),
    done: (t) => `Store deleted and parked: ${t.workloads.length} workloads at 0 replicas, the maintenance page answers on ${hostOf(t.ingress)}; `
      + `it can be undeleted until ${until}, when it is purged`,
    to: 'Deleting',
    failedAs: { name: PLATFORM_STEPS.delete, title: 'Delete' },
  });
}

/** Suspended -> Resuming -> Ready: workloads up and ready, the Ingress back, the page gone, and the engine's check passed. */
export async function resumeStore(d: ReconcilerDeps, row: StoreRow, run: PhaseRun): Promise<void> {
  await runPhase(d, row, run, {
    summary: PLATFORM_STEPS.resume,
    verb: 'Resuming',
    build: (t) => {
      const { namespace, owner } = t.desired;
      return [
        {
          ...RESUME_STEPS.workloads, timeoutSeconds: WORKLOADS_TIMEOUT_SECONDS,
          run: async (ctx) => {
            // in the engine's order, each ready before the next: the database before what uses it
            for (const w of t.workloads) {
              await scaleWorkload(d.kube, { namespace, kind: w.kind, name: w.name, replicas: w.replicas }, ctx.call);
              const rule: ReadinessRule = w.kind === 'StatefulSet'
                ? { kind: 'StatefulSetReady', namespace, name: w.name }
                : { kind: 'DeploymentAvailable', namespace, name: w.name };
              await wait(d, rule, RESUME_STEPS.workloads.name, ctx);
            }
            return t.workloads.map((w) => `${w.name} ${w.replicas}/${w.replicas}`).join(', ') + ' ready';
          },
        },
        {
          ...RESUME_STEPS.cronJobs, timeoutSeconds: QUICK_TIMEOUT_SECONDS,
          run: async ({ call }) => {
            await Promise.all(t.cronJobs.map((name) => setCronJobSuspended(d.kube, { namespace, name, suspend: false }, call)));
            return t.cronJobs.length === 0 ? 'no CronJobs' : `resumed ${t.cronJobs.join(', ')}`;
          },
        },
        applyStep(d, RESUME_STEPS.ingress, { name: 'ingress', title: 'Ingress', objects: [t.ingress], readiness: { kind: 'Applied' }, timeoutSeconds: QUICK_TIMEOUT_SECONDS }, owner),
        {
          ...RESUME_STEPS.maintenance, timeoutSeconds: QUICK_TIMEOUT_SECONDS,
          run: async ({ call }) => {
            const objects = t.maintenance[0]!.objects;
            let deleted = 0;
            for (const obj of objects) if ((await deleteOwnedObject(d.kube, obj, owner, call)) === 'deleted') deleted++;
            const gone = objects.length - deleted;
            return `${deleted} deleted${gone > 0 ? `, ${gone} already gone` : ''}`;
          },
        },
        checkStep(d, t.check, owner),
      ];
    },
    done: (t) => `Store is Ready again: ${t.workloads.length} workloads up, store check passed`,
    to: 'Ready',
  });
}

interface PhaseSpec {
  /** Timeline step of the phase's opening and closing rows. */
  readonly summary: string;
  readonly verb: 'Suspending' | 'Resuming' | 'Deleting';
  readonly build: (t: SuspendTargets) => PhaseStep[];
  readonly done: (t: SuspendTargets) => string;
  /** Where the store goes once every step passed; Deleting: it stays (a parked store waits for its purge). */
  readonly to: 'Suspended' | 'Ready' | 'Deleting';
  /** The step a failure is recorded at, when not the step that failed (a retry re-runs that step's phase). */
  readonly failedAs?: { name: string; title: string };
}

/** Walks the phase's steps in order, every one on the timeline; owns its errors (a failure is the Failed status). */
async function runPhase(d: ReconcilerDeps, row: StoreRow, run: PhaseRun, spec: PhaseSpec): Promise<void> {
  const { timeline, status, events } = d;
  const id = row.id;
  const log = d.log.child({ storeId: id, slug: row.slug, phase: spec.summary });
  const { signal } = run;
  const t0 = Date.now();
  let current: { name: string; title: string } = { name: spec.summary, title: spec.verb };
  try {
    let targets: SuspendTargets;
    try {
      targets = targetsOf(d, row);
    } catch (err) {
      timeline.record(id, spec.summary, 'failed', messageOf(err));
      throw new PhaseStepError(current, messageOf(err), { cause: err });
    }
    // a namespace that is gone or not ours has nothing to suspend or resume: fail rather than recreate pieces of it
    const ns = await readNamespace(d.kube, targets.desired.namespace, timelineCall(d, id, spec.summary, signal));
    if (!ns || ns.terminating || !isOwned(ns.labels, targets.desired.owner)) {
      const why = !ns ? 'does not exist' : ns.terminating ? 'is being deleted' : 'is not managed by this store';
      timeline.record(id, spec.summary, 'failed', `namespace ${targets.desired.namespace} ${why}`);
      throw new PhaseStepError(current, `namespace ${targets.desired.namespace} ${why}`);
    }
    const steps = spec.build(targets);
    timeline.record(id, spec.summary, 'started', run.recovered
      ? `${spec.verb} again after an engine restart: walking every step (what is done already stays done)`
      : `${spec.verb}: ${steps.length} steps`);
    const attempts = new Map<string, number>();
    for (const e of events.list(id)) if (e.phase === 'started') attempts.set(e.step, (attempts.get(e.step) ?? 0) + 1);
    for (const [i, step] of steps.entries()) {
      current = step;
      await runPhaseStep(d, id, step, { index: i, total: steps.length, attempt: (attempts.get(step.name) ?? 0) + 1, signal }, log);
    }
    const note = { step: spec.summary, phase: 'succeeded', message: spec.done(targets), durationMs: Date.now() - t0 } as const;
    const moved = spec.to === 'Deleting'
      ? status.amend(id, 'Deleting', () => ({ statusReason: null, failedStep: null }), note)
      : status.transition(id, spec.to, { statusReason: null, failedStep: null }, note);
    if (moved) log.info({ durationMs: Date.now() - t0 }, { Ready: 'Store resumed', Suspended: 'Store suspended', Deleting: 'Store parked until its purge' }[spec.to]);
  } catch (err) {
    if (err instanceof CancelledError || signal.aborted) {
      const why = err instanceof CancelledError ? err.why : 'shutdown';
      timeline.record(id, current.name, 'info', why === 'delete' || why === 'undelete'
        ? `${spec.verb} cancelled: the store is being ${why}d`
        : 'Interrupted by engine shutdown; the next start walks every step again');
      return;
    }
    const step = err instanceof PhaseStepError ? err.step : current;
    const reason = err instanceof PhaseStepError ? err.reason : messageOf(err);
    if (!(err instanceof PhaseStepError)) {
      timeline.record(id, step.name, 'failed', reason, { durationMs: Date.now() - t0 });
      log.error({ err, step: step.name }, `${spec.verb} failed unexpectedly`);
    } else {
      log.warn({ step: step.name, reason }, `${spec.verb} failed`);
    }
    const failedAs = spec.failedAs ?? step;
    status.transition(id, 'Failed', { failedStep: failedAs.name, statusReason: `${failedAs === step ? '' : `${failedAs.title}: `}${step.title}: ${reason}` });
  }
}

async function runPhaseStep(
  d: ReconcilerDeps, id: string, step: PhaseStep, at: { index: number; total: number; attempt: number; signal: AbortSignal }, parent: Logger,
): Promise<void> {
  const log = parent.child({ step: step.name });
  const timeoutSeconds = d.options.stepTimeouts?.[step.name] ?? d.options.stepTimeoutSeconds ?? step.timeoutSeconds;
  const t0 = Date.now();
  const deadline = t0 + timeoutSeconds * 1000;
  d.timeline.record(id, step.name, 'started', `${step.title} (step ${at.index + 1} of ${at.total})`, { attempt: at.attempt });
  let summary: string;
  try {
    summary = await step.run({ id, call: { ...timelineCall(d, id, step.name, at.signal, log), deadline }, timeoutSeconds, signal: at.signal, log });
  } catch (err) {
    if (err instanceof CancelledError || at.signal.aborted) throw at.signal.aborted ? at.signal.reason : err;
    const reason = err instanceof StepTimeoutError ? err.message : messageOf(err);
    d.timeline.record(id, step.name, 'failed', reason, { durationMs: Date.now() - t0, attempt: at.attempt });
    throw new PhaseStepError(step, reason, { cause: err });
  }
  d.timeline.record(id, step.name, 'succeeded', `${step.title}: ${summary}`, { durationMs: Date.now() - t0, attempt: at.attempt });
  log.info({ durationMs: Date.now() - t0 }, summary);
}

/** Waits on one readiness rule within the step's deadline; pod-level causes land on the timeline. */
async function wait(d: ReconcilerDeps, rule: ReadinessRule, stepName: string, ctx: StepContext, objects: readonly KubeObject[] = []): Promise<void> {
  const { id } = ctx;
  await waitForReady(d.kube.objects, { name: stepName, objects, readiness: rule }, {
    deadline: ctx.call.deadline, timeoutSeconds: ctx.timeoutSeconds, signal: ctx.signal, retry: d.options.retry,
    ...(ctx.call.onRetry ? { onRetry: ctx.call.onRetry } : {}),
    onWaiting: (problem) => {
      d.timeline.record(id, stepName, 'info', `Waiting: ${problem}`);
      ctx.log.warn({ problem }, 'Step waiting on its pods');
    },
  });
}

/** A synthesized step's objects, server-side applied (created when absent), then its readiness rule. */
function applyStep(d: ReconcilerDeps, as: { name: string; title: string }, step: SynthesizedStep, owner: Readonly<Record<string, string>>): PhaseStep {
  return {
    ...as, timeoutSeconds: step.timeoutSeconds,
    run: async (ctx) => {
      const counts = { created: 0, exists: 0, applied: 0 };
      for (const obj of step.objects) counts[await withRetry(() => ensureObject(d.kube.objects, obj, owner, 'apply'), ctx.call)]++;
      await wait(d, step.readiness, as.name, ctx, step.objects);
      return [counts.created && `${counts.created} created`, counts.applied && `${counts.applied} applied`, counts.exists && `${counts.exists} already present`]
        .filter(Boolean).join(', ') + '; ready';
    },
  };
}

/**
 * The engine's check step run afresh: its Job from an earlier run (finished Jobs are kept a while, and
 * a Job cannot be changed) is deleted and waited out first, so the check proves the resumed store.
 */
function checkStep(d: ReconcilerDeps, step: SynthesizedStep, owner: Readonly<Record<string, string>>): PhaseStep {
  return {
    ...RESUME_STEPS.check, timeoutSeconds: step.timeoutSeconds,
    run: async (ctx) => {
      const jobs = step.objects.filter((o) => o.kind === 'Job');
      for (const job of jobs) {
        if ((await deleteOwnedObject(d.kube, job, owner, ctx.call)) === 'deleted') {
          await wait(d, { kind: 'Gone' }, RESUME_STEPS.check.name, ctx, [job]);
        }
      }
      for (const obj of step.objects) await withRetry(() => ensureObject(d.kube.objects, obj, owner, 'create'), ctx.call);
      await wait(d, step.readiness, RESUME_STEPS.check.name, ctx);
      return 'passed';
    },
  };
}

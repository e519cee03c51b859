import type { EventEmitter } from 'node:events';
import type { SynthesizedStep } from '../../constructs/index.js';
import type { DesiredState, StoreIdentity } from '../manifests/desired.js';
import type { Logger } from '../logger.js';
import type { StoreStatus } from '../db/schema.js';
import type { EventsRepo } from '../db/repos/events-repo.js';
import type { StorePatch, StoreRow, StoresRepo } from '../db/repos/stores-repo.js';
import {
  CancelledError, deleteNamespaceAndWait, describeObject, ensureObject, isOwned, readNamespace, StepTimeoutError, waitForReady, withRetry,
  type ApplyMode, type CallOptions, type KubeClients, type NamespaceDeleteResult, type NamespaceState, type OnRetry, type RetryPolicy,
} from '../k8s/index.js';
import { canTransition } from './status.js';
import { ENGINE_STEPS, type Timeline } from './timeline.js';

export interface EngineOptions {
  readonly retry: RetryPolicy;
  /** Overrides every step's own timeout when set. */
  readonly stepTimeoutSeconds?: number;
  /** Per-step overrides by step name (wins over stepTimeoutSeconds). */
  readonly stepTimeouts?: Readonly<Record<string, number>>;
  /** How long deleting a namespace may take before the store is marked Failed. */
  readonly deleteTimeoutSeconds: number;
}

export interface EngineDeps {
  readonly stores: StoresRepo;
  readonly events: EventsRepo;
  readonly timeline: Timeline;
  readonly kube: KubeClients;
  readonly log: Logger;
  readonly bus: EventEmitter;
  readonly options: EngineOptions;
  /** Desired state for a row; throws on a spec the constructs refuse. */
  readonly desired: (row: StoreRow) => DesiredState;
  readonly identity: (row: StoreRow) => StoreIdentity;
}

/** A step failed for good: carries the step for the Failed status. */
class StepError extends Error {
  public constructor(public readonly step: SynthesizedStep | { name: string; title: string }, public readonly reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'StepError';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The reconcile loop for one store at a time (the queue guarantees that). Level-triggered: it reads the
 * row, synthesizes everything, and walks the ordered steps; each step applies its objects and waits for its
 * readiness rule, and every transition lands on the timeline.
 */
export class Engine {
  readonly #d: EngineDeps;
  readonly #inflight = new Map<string, AbortController>();
  readonly #shutdown = new AbortController();
  /** Stores re-queued by crash recovery, so their first run says so on the timeline. */
  readonly #recovered = new Set<string>();

  public constructor(deps: EngineDeps) {
    this.#d = deps;
  }

  /** Stops in-flight work at the next API-call boundary; the rows stay as they are for recovery. */
  public shutdown(): void {
    this.#shutdown.abort(new CancelledError('shutdown'));
  }

  /** Cancels the remaining steps of an in-flight provisioning (delete wins over provisioning). */
  public cancel(id: string, why: 'delete'): void {
    this.#inflight.get(id)?.abort(new CancelledError(why));
  }

  public markRecovered(id: string): void {
    this.#recovered.add(id);
  }

  /** Changes status if the lifecycle allows it from the current row; announces it. Undefined when not allowed. */
  public move(id: string, to: StoreStatus, patch: StorePatch = {}): StoreRow | undefined {
    const cur = this.#d.stores.find(id);
    if (!cur || !canTransition(cur.status, to)) return undefined;
    const row = this.#d.stores.update(id, cur.version, to, patch);
    this.#d.bus.emit('store', row);
    return row;
  }

  /** Entry point for the queue. Owns its errors: a throw here is a bug. */
  public async reconcile(id: string): Promise<void> {
    const row = this.#d.stores.find(id);
    if (!row || this.#shutdown.signal.aborted) return;
    if (row.status === 'Pending' || row.status === 'Provisioning') await this.#provision(row);
    else if (row.status === 'Deleting') await this.#delete(row);
  }

  #signalFor(id: string): { signal: AbortSignal; done: () => void } {
    const ac = new AbortController();
    this.#inflight.set(id, ac);
    return { signal: AbortSignal.any([ac.signal, this.#shutdown.signal]), done: () => this.#inflight.delete(id) };
  }

  async #provision(initial: StoreRow): Promise<void> {
    const { timeline, events, log: rootLog } = this.#d;
    const id = initial.id;
    const log = rootLog.child({ storeId: id, slug: initial.slug });
    const { signal, done } = this.#signalFor(id);
    const runStart = Date.now();
    let current: { name: string; title: string } = { name: ENGINE_STEPS.store, title: 'Store' };
    try {
      let row = initial;
      const resumeFrom = initial.status === 'Pending' ? initial.failedStep : null;
      if (row.status === 'Pending') {
        const moved = this.move(id, 'Provisioning', { statusReason: null, failedStep: null });
        if (!moved) return; // deleted meanwhile
        row = moved;
      }
      let desired: DesiredState;
      try {
        desired = this.#d.desired(row);
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
        const ns = idx > 0 ? await this.#readNamespace(id, desired, ENGINE_STEPS.store, signal) : undefined;
        if (idx > 0 && ns && isOwned(ns.labels, desired.owner)) {
          startAt = idx;
          timeline.record(id, ENGINE_STEPS.store, 'info', `Retry: resuming at step '${resumeFrom}'; the ${idx} steps before it succeeded earlier`);
        } else {
          timeline.record(id, ENGINE_STEPS.store, 'info', idx > 0
            ? `Retry: namespace ${desired.namespace} is gone, starting over from the first step`
            : 'Retry: starting over from the first step');
        }
      } else if (initial.status === 'Pending') {
        timeline.record(id, ENGINE_STEPS.store, 'info', `Provisioning started: ${steps.length} steps`);
      } else if (this.#recovered.delete(id)) {
        timeline.record(id, ENGINE_STEPS.store, 'info', 'Resumed after an engine restart: walking every step again (objects already present are kept)');
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
        await this.#runStep(row, step, i, steps.length, desired, mode, attempt, signal, log);
      }

      const ready = this.move(id, 'Ready', {
        readyAt: new Date(), observedGeneration: row.generation, statusReason: null, failedStep: null,
      });
      if (ready) {
        timeline.record(id, ENGINE_STEPS.store, 'succeeded', `Store is Ready (${steps.length - startAt} steps)`, {
          durationMs: Date.now() - runStart, attempt: runAttempt,
        });
        log.info({ durationMs: Date.now() - runStart }, 'Store ready');
      }
    } catch (err) {
      if (err instanceof CancelledError || signal.aborted) {
        const why = err instanceof CancelledError ? err.why : 'shutdown';
        timeline.record(id, current.name, 'info', why === 'delete'
          ? 'Provisioning cancelled: the store is being deleted'
          : 'Interrupted by engine shutdown; the next start resumes here');
        log.info({ step: current.name, why }, 'Provisioning interrupted');
        return;
      }
      const step = err instanceof StepError ? err.step : current;
      const reason = err instanceof StepError ? err.reason : messageOf(err);
      if (!(err instanceof StepError)) {
        timeline.record(id, step.name, 'failed', reason);
        log.error({ err, step: step.name }, 'Provisioning failed unexpectedly');
      } else {
        log.warn({ step: step.name, reason }, 'Provisioning failed');
      }
      const failed = this.move(id, 'Failed', { failedStep: step.name, statusReason: `${step.title}: ${reason}` });
      if (failed?.teardownOnFailure) await this.#teardownAfterFailure(failed);
    } finally {
      done();
    }
  }

  async #runStep(
    row: StoreRow, step: SynthesizedStep, index: number, total: number, desired: DesiredState,
    mode: ApplyMode, attempt: number, signal: AbortSignal, parentLog: Logger,
  ): Promise<void> {
    const { timeline, kube, options } = this.#d;
    const log = parentLog.child({ step: step.name });
    const timeoutSeconds = options.stepTimeouts?.[step.name] ?? options.stepTimeoutSeconds ?? step.timeoutSeconds;
    const t0 = Date.now();
    const deadline = t0 + timeoutSeconds * 1000;
    timeline.record(row.id, step.name, 'started', `${step.title} (step ${index + 1} of ${total})`, { attempt });
    const onRetry: OnRetry = (err, n, delayMs) => {
      timeline.record(row.id, step.name, 'retrying', `${err.message} (retry in ${delayMs} ms)`, { attempt: n });
      log.warn({ reason: err.reason, status: err.status, attempt: n, delayMs }, 'Transient Kubernetes error, retrying');
    };
    const counts = { created: 0, exists: 0, applied: 0 };
    try {
      for (const obj of step.objects) {
        const outcome = await withRetry(() => ensureObject(kube.objects, obj, desired.owner, mode), {
          policy: options.retry, signal, deadline, onRetry,
        });
        counts[outcome]++;
        log.info({ kind: obj.kind, name: obj.metadata.name, outcome }, outcome === 'created' ? `Created ${obj.kind}` : `${obj.kind} ${outcome === 'exists' ? 'already present' : 'applied'}`);
      }
      await waitForReady(kube.objects, step, { deadline, timeoutSeconds, signal, onRetry });
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

  #call(id: string, step: string, signal: AbortSignal): CallOptions {
    const onRetry: OnRetry = (err, n, delayMs) => {
      this.#d.timeline.record(id, step, 'retrying', `${err.message} (retry in ${delayMs} ms)`, { attempt: n });
    };
    return { policy: this.#d.options.retry, signal, onRetry };
  }

  async #readNamespace(id: string, who: StoreIdentity, step: string, signal: AbortSignal): Promise<NamespaceState | undefined> {
    return readNamespace(this.#d.kube, who.namespace, this.#call(id, step, signal));
  }

  /**
   * Deletes the store's namespace with foreground propagation and waits until the API server reports it
   * gone. A namespace that is not ours is left alone.
   */
  async #deleteNamespace(row: StoreRow, step: string, signal: AbortSignal): Promise<NamespaceDeleteResult> {
    const who = this.#d.identity(row);
    return deleteNamespaceAndWait(this.#d.kube, {
      name: who.namespace, owner: who.owner, timeoutSeconds: this.#d.options.deleteTimeoutSeconds,
    }, this.#call(row.id, step, signal));
  }

  async #delete(row: StoreRow): Promise<void> {
    const { timeline, log: rootLog } = this.#d;
    const log = rootLog.child({ storeId: row.id, slug: row.slug });
    const { signal, done } = this.#signalFor(row.id);
    const t0 = Date.now();
    const ns = this.#d.identity(row).namespace;
    if (this.#recovered.delete(row.id)) timeline.record(row.id, ENGINE_STEPS.delete, 'info', 'Resumed deletion after an engine restart');
    timeline.record(row.id, ENGINE_STEPS.delete, 'started', `Deleting namespace ${ns} (foreground propagation)`);
    try {
      const result = await this.#deleteNamespace(row, ENGINE_STEPS.delete, signal);
      const msg = result === 'deleted' ? `Namespace ${ns} and everything in it are gone`
        : result === 'absent' ? `Namespace ${ns} was already gone`
          : `Namespace ${ns} is not managed by this store; left in place`;
      const deleted = this.move(row.id, 'Deleted', { deletedAt: new Date() });
      if (deleted) {
        timeline.record(row.id, ENGINE_STEPS.delete, 'succeeded', msg, { durationMs: Date.now() - t0 });
        log.info({ namespace: ns, result }, 'Store deleted');
      }
    } catch (err) {
      if (err instanceof CancelledError || signal.aborted) {
        timeline.record(row.id, ENGINE_STEPS.delete, 'info', 'Interrupted by engine shutdown; the next start resumes the deletion');
        return;
      }
      const reason = messageOf(err);
      timeline.record(row.id, ENGINE_STEPS.delete, 'failed', reason, { durationMs: Date.now() - t0 });
      log.warn({ reason }, 'Delete failed');
      this.move(row.id, 'Failed', { failedStep: ENGINE_STEPS.delete, statusReason: `Delete: ${reason}` });
    } finally {
      done();
    }
  }

  async #teardownAfterFailure(row: StoreRow): Promise<void> {
    const { timeline } = this.#d;
    const { signal, done } = this.#signalFor(row.id);
    const t0 = Date.now();
    timeline.record(row.id, ENGINE_STEPS.teardown, 'started', 'Tearing down the failed store (teardown on failure is on)');
    try {
      const result = await this.#deleteNamespace(row, ENGINE_STEPS.teardown, signal);
      timeline.record(row.id, ENGINE_STEPS.teardown, 'succeeded', result === 'foreign'
        ? 'Namespace is not managed by this store; left in place' : 'Namespace removed', { durationMs: Date.now() - t0 });
      const cur = this.#d.stores.find(row.id);
      if (cur?.status === 'Failed') {
        this.#d.bus.emit('store', this.#d.stores.update(row.id, cur.version, 'Failed', { statusReason: `${cur.statusReason ?? ''} (resources torn down)` }));
      }
    } catch (err) {
      if (err instanceof CancelledError || signal.aborted) return;
      timeline.record(row.id, ENGINE_STEPS.teardown, 'failed', messageOf(err), { durationMs: Date.now() - t0 });
    } finally {
      done();
    }
  }
}

export { describeObject };

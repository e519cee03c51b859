import type { StoreStatus } from '../db/schema.js';
import type { StorePatch, StoreRow } from '../db/repos/stores-repo.js';
import { CancelledError } from '../k8s/index.js';
import type { ReconcilerDeps, PhaseRun } from './phase.js';
import { provision } from './provision.js';
import { resumeStore, suspendStore } from './suspend.js';
import { deleteStore, teardownFailed } from './teardown.js';
import { upgradeStore } from './upgrade.js';
import type { TransitionNote } from './transition.js';

export type { ReconcilerDeps, ReconcilerOptions } from './phase.js';

/**
 * The reconcile loop for one store at a time (the queue guarantees that). Level-triggered: it reads the
 * row and runs the phase its status asks for: provision (provision.ts), upgrade (upgrade.ts), suspend or resume (suspend.ts)
 * or teardown (teardown.ts).
 * Every status change goes through the one StatusWriter.
 */
export class Reconciler {
  readonly #d: ReconcilerDeps;
  readonly #inflight = new Map<string, AbortController>();
  readonly #shutdown = new AbortController();
  /** Stores re-queued by crash recovery, so their first run says so on the timeline. */
  readonly #recovered = new Set<string>();

  public constructor(deps: ReconcilerDeps) {
    this.#d = deps;
  }

  /** Stops in-flight work at the next API-call boundary; the rows stay as they are for recovery. */
  public shutdown(): void {
    this.#shutdown.abort(new CancelledError('shutdown'));
  }

  /** Cancels the remaining steps of an in-flight phase: a delete wins over provisioning, suspend or resume, an undelete over a delete. */
  public cancel(id: string, why: 'delete' | 'undelete'): void {
    this.#inflight.get(id)?.abort(new CancelledError(why));
  }

  public markRecovered(id: string): void {
    this.#recovered.add(id);
  }

  /** Changes status if the lifecycle allows it from the current row; undefined when not allowed. */
  public move(id: string, to: StoreStatus, patch: StorePatch = {}, note?: TransitionNote): StoreRow | undefined {
    return this.#d.status.transition(id, to, patch, note);
  }

  /** Changes fields of a store still in `status`; undefined when it is not. */
  public amend(id: string, status: StoreStatus, patch: StorePatch, note?: TransitionNote): StoreRow | undefined {
    return this.#d.status.amend(id, status, () => patch, note);
  }

  /** Entry point for the queue. Owns its errors: a throw here is a bug. */
  public async reconcile(id: string): Promise<void> {
    const row = this.#d.stores.find(id);
    if (!row || this.#shutdown.signal.aborted) return;
    if (row.status === 'Pending' || row.status === 'Provisioning') {
      const failed = await this.#run(id, (run) => provision(this.#d, row, run));
      if (failed?.teardownOnFailure) await this.#run(id, (run) => teardownFailed(this.#d, failed, run));
    } else if (row.status === 'Upgrading') {
      await this.#run(id, (run) => upgradeStore(this.#d, row, run));
    } else if (row.status === 'Suspending') {
      await this.#run(id, (run) => suspendStore(this.#d, row, run));
    } else if (row.status === 'Resuming') {
      await this.#run(id, (run) => resumeStore(this.#d, row, run));
    } else if (row.status === 'Deleting') {
      await this.#run(id, (run) => deleteStore(this.#d, row, run));
    }
  }

  /** Runs one phase with its own abort signal (cancel() and shutdown() reach it). */
  async #run<T>(id: string, phase: (run: PhaseRun) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    this.#inflight.set(id, ac);
    try {
      return await phase({ signal: AbortSignal.any([ac.signal, this.#shutdown.signal]), recovered: this.#recovered.delete(id) });
    } finally {
      this.#inflight.delete(id);
    }
  }
}

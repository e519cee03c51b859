import { randomUUID } from 'node:crypto';
import { customDomainViolation, engineAvailable, storeHost, type PlatformSettings, type StoreSpec } from '../../constructs/index.js';
import type { Db } from '../db/client.js';
import { DEFAULT_OWNER_ID, type StoreStatus } from '../db/schema.js';
import { OwnersRepo } from '../db/repos/owners-repo.js';
import { EventsRepo, type StoreEventRow } from '../db/repos/events-repo.js';
import { StoresRepo, type StoreRow } from '../db/repos/stores-repo.js';
import { DomainNotAllowedError, EngineUnavailableError, IllegalTransitionError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_RETRY_POLICY, interactive, type Interactive, type InteractiveLimits, type KubeClients, type RetryPolicy } from '../k8s/index.js';
import { desiredStateOf, identityOf, urlsOf, type DesiredState } from '../manifests/desired.js';
import { readAdminSecret, restartWorkloads, storeHealth, storeLogs, type StoreHealth, type StoreLogs } from './operations.js';
import { ownerGuard } from './owner-limits.js';
import { resetAdminPassword } from './reset-password.js';
import { ReconcileQueue } from './queue.js';
import { Reconciler } from './reconcile.js';
import { ACTIVE_STATUSES, statusAfter } from './status.js';
import { StoreBus } from './bus.js';
import { PLATFORM_STEPS, Timeline } from './timeline.js';
import { StatusWriter } from './transition.js';

export type { StoreRow } from '../db/repos/stores-repo.js';
export type { StoreEventRow } from '../db/repos/events-repo.js';
export type { StoreHealth, StoreLogs } from './operations.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../k8s/index.js';

export interface ProvisionerOptions {
  /** Stores provisioned at once. @default 3 */
  readonly concurrency: number;
  /** Overrides every step's own timeout (seconds) when set. */
  readonly stepTimeoutSeconds?: number;
  /** Per-step timeout overrides in seconds, by step name (wins over stepTimeoutSeconds). */
  readonly stepTimeouts?: Readonly<Record<string, number>>;
  /** Platform-wide default for tearing a failed store down; a request may override it. */
  readonly teardownOnFailure: boolean;
  readonly platform: PlatformSettings;
  /** Backoff for transient Kubernetes errors (409 Conflict, 429, 5xx, connection errors). */
  readonly retry: RetryPolicy;
  /** How long deleting a namespace may take. @default 300 */
  readonly deleteTimeoutSeconds?: number;
  /** Live (not Deleted) stores allowed at once (MAX_STORES). @default - no limit */
  readonly maxStores?: number;
  /**
   * Client-side deadline in ms of the Kubernetes calls an API request waits on (health, logs,
   * credentials, restart, password reset): past it the request fails with 503. @default 5000
   */
  readonly interactiveTimeoutMs?: number;
}

/** Default of ProvisionerOptions.interactiveTimeoutMs. */
export const DEFAULT_INTERACTIVE_TIMEOUT_MS = 5_000;

export interface ProvisionerDeps {
  readonly db: Db;
  readonly kube: KubeClients;
  readonly log: Logger;
  readonly options: ProvisionerOptions;
  /** Test seam: desired state for a row (default: the real constructs). */
  readonly desired?: (row: StoreRow) => DesiredState;
}

export interface ListStoresOptions {
  readonly status?: StoreStatus;
  readonly cursor?: string;
  readonly limit: number;
}

type ActorArg = string | { readonly actor: string };
const actorOf = (a: ActorArg): string => (typeof a === 'string' ? a : a.actor);

/**
 * The provisioner's façade: the API calls these, and the queue drives the stores to their
 * desired state. One instance per process; `start()` after construction, `stop()` on SIGTERM.
 */
export class Provisioner {
  /** 'event' (StoreEventRow) for every timeline entry, 'store' (StoreRow) for every status change. */
  public readonly bus = new StoreBus();
  readonly #stores: StoresRepo;
  readonly #events: EventsRepo;
  readonly #owners: OwnersRepo;
  readonly #timeline: Timeline;
  readonly #reconciler: Reconciler;
  readonly #queue: ReconcileQueue;
  readonly #kube: KubeClients;
  readonly #log: Logger;
  readonly #options: ProvisionerOptions;
  #started = false;
  #stopped = false;

  public constructor(deps: ProvisionerDeps) {
    this.#stores = new StoresRepo(deps.db);
    this.#events = new EventsRepo(deps.db);
    this.#owners = new OwnersRepo(deps.db);
    this.#timeline = new Timeline(this.#events, this.bus);
    this.#kube = deps.kube;
    this.#log = deps.log.child({ component: 'provisioner' });
    this.#options = deps.options;
    const platform = deps.options.platform;
    this.#reconciler = new Reconciler({
      stores: this.#stores, events: this.#events, timeline: this.#timeline, kube: deps.kube, log: this.#log,
      status: new StatusWriter(this.#stores, this.bus, this.#timeline),
      options: {
        retry: deps.options.retry ?? DEFAULT_RETRY_POLICY,
        stepTimeoutSeconds: deps.options.stepTimeoutSeconds,
        stepTimeouts: deps.options.stepTimeouts,
        deleteTimeoutSeconds: deps.options.deleteTimeoutSeconds ?? 300,
      },
      desired: deps.desired ?? ((row) => desiredStateOf(row, platform)),
      identity: identityOf,
    });
    this.#queue = new ReconcileQueue((id) => this.#reconciler.reconcile(id), deps.options.concurrency, (id, err) => {
      this.#log.error({ err, storeId: id }, 'Reconcile crashed');
    });
  }

  /** Crash recovery: re-queues every store left Pending, Provisioning or Deleting, oldest first. */
  public async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const left = this.#stores.listByStatus(ACTIVE_STATUSES);
    for (const row of left) {
      if (row.status !== 'Pending') this.#reconciler.markRecovered(row.id);
      this.#queue.enqueue(row.id);
    }
    if (left.length > 0) this.#log.info({ count: left.length }, 'Resuming unfinished stores');
  }

  /**
   * Inserts the store as Pending for its owner and queues it. The owner's allowance and limits, the
   * MAX_STORES check, the host check (HOST_TAKEN; also a unique index) and the insert are one SQLite transaction; teardownOnFailure defaults to the
   * platform setting. `onInsert` runs inside that transaction (the API records the Idempotency-Key answer there).
   */
  public async create(
    spec: StoreSpec & { teardownOnFailure?: boolean },
    opts: { actor: string; ownerId?: string; teardownOnFailure?: boolean; onInsert?: (row: StoreRow) => void },
  ): Promise<StoreRow> {
    if (!engineAvailable(spec.engine)) {
      throw new EngineUnavailableError(`engine '${spec.engine}' is not available yet; use 'woocommerce'`);
    }
    const refused = customDomainViolation(spec, this.#options.platform);
    if (refused !== undefined) throw new DomainNotAllowedError(refused);
    const now = new Date();
    const ownerId = opts.ownerId ?? DEFAULT_OWNER_ID;
    const row = this.#stores.insertWithinLimit({
      id: randomUUID(), ownerId, slug: spec.name, title: spec.title, engine: spec.engine, plan: spec.plan,
      adminEmail: spec.adminEmail, customDomain: spec.customDomain ?? null, host: storeHost(spec, this.#options.platform), currency: spec.currency,
      status: 'Pending', ...urlsOf(spec, this.#options.platform),
      teardownOnFailure: opts.teardownOnFailure ?? spec.teardownOnFailure ?? this.#options.teardownOnFailure,
      createdBy: opts.actor, createdAt: now, updatedAt: now,
    }, this.#options.maxStores ?? Number.POSITIVE_INFINITY, ownerGuard(this.#owners, ownerId, spec), opts.onInsert);
    this.#timeline.record(row.id, PLATFORM_STEPS.store, 'info', `Store requested by ${opts.actor}`);
    this.bus.emit('store', row);
    this.#queue.enqueue(row.id);
    return row;
  }

  public get(id: string): StoreRow {
    return this.#stores.get(id);
  }

  public list(q: ListStoresOptions): { items: StoreRow[]; nextCursor?: string } {
    return this.#stores.list(q);
  }

  /** Marks the store Deleting, cancels what is still running for it, and queues the teardown. */
  public async delete(id: string, actor: ActorArg): Promise<StoreRow> {
    const cur = this.#stores.get(id);
    statusAfter('delete', cur.status); // throws for Deleted
    if (cur.status === 'Deleting') return cur;
    const row = this.#reconciler.move(id, 'Deleting', {}, { step: PLATFORM_STEPS.delete, phase: 'info', message: `Delete requested by ${actorOf(actor)}` });
    if (!row) throw new IllegalTransitionError(`cannot delete a store that is ${this.#stores.get(id).status}`);
    this.#reconciler.cancel(id, 'delete');
    this.#queue.enqueue(id);
    return row;
  }

  /** Failed -> Pending, resuming at the failed step (or Deleting again if the delete failed). */
  public async retry(id: string, actor: ActorArg): Promise<StoreRow> {
    const cur = this.#stores.get(id);
    statusAfter('retry', cur.status);
    const to = cur.failedStep === PLATFORM_STEPS.delete ? 'Deleting' : 'Pending';
    const row = this.#reconciler.move(id, to, {}, {
      step: PLATFORM_STEPS.store, phase: 'info', message: `Retry requested by ${actorOf(actor)}${cur.failedStep ? ` (failed at '${cur.failedStep}')` : ''}`,
    });
    if (!row) throw new IllegalTransitionError(`cannot retry a store that is ${this.#stores.get(id).status}`);
    this.#queue.enqueue(id);
    return row;
  }

  /**
   * Moves a Ready store to another plan: Ready -> Provisioning with a new generation; the reconciler then
   * server-side applies every step, so quota, limits and container sizes follow (and drift is corrected).
   */
  public async changePlan(id: string, plan: StoreSpec['plan'], actor: ActorArg): Promise<StoreRow> {
    const cur = this.#stores.get(id);
    if (cur.status !== 'Ready') throw new IllegalTransitionError(`only a Ready store can change plan (status is ${cur.status})`);
    if (cur.plan === plan) return cur;
    const generation = cur.generation + 1;
    const row = this.#reconciler.move(id, 'Provisioning', { plan, generation, statusReason: null }, {
      step: PLATFORM_STEPS.store, phase: 'info', message: `Plan change ${cur.plan} -> ${plan} requested by ${actorOf(actor)} (generation ${generation})`,
    });
    if (!row) throw new IllegalTransitionError(`cannot change the plan of a store that is ${this.#stores.get(id).status}`);
    this.#queue.enqueue(id);
    return row;
  }

  /** Rollout restart of one component or all of them. */
  public async restart(id: string, component?: string): Promise<{ storeId: string; restarted: string[] }> {
    const row = this.#liveRow(id);
    const restarted = await restartWorkloads(this.#interactive(), row, component);
    this.#timeline.record(id, PLATFORM_STEPS.restart, 'info', `Rollout restart of ${restarted.join(', ')}`);
    return { storeId: id, restarted };
  }

  /** Writes a new admin password to the store's Secret and applies it with a one-off job; returned once. */
  public async resetAdminPassword(id: string): Promise<{ storeId: string; username: string; password: string }> {
    const row = this.#liveRow(id, ['Ready']);
    const t0 = Date.now();
    this.#timeline.record(id, PLATFORM_STEPS.resetPassword, 'started', 'Resetting the administrator password');
    try {
      const { cleanupError, ...creds } = await resetAdminPassword(this.#kube, { platform: this.#options.platform, limits: this.#interactiveLimits() }, row);
      this.#timeline.record(id, PLATFORM_STEPS.resetPassword, 'succeeded', 'Administrator password reset', { durationMs: Date.now() - t0 });
      if (cleanupError !== undefined) {
        this.#timeline.record(id, PLATFORM_STEPS.resetPassword, 'info', `Older reset Jobs were left in place: ${cleanupError}`);
      }
      return { storeId: id, ...creds };
    } catch (err) {
      this.#timeline.record(id, PLATFORM_STEPS.resetPassword, 'failed', err instanceof Error ? err.message : String(err), { durationMs: Date.now() - t0 });
      throw err;
    }
  }

  public async health(id: string): Promise<StoreHealth> {
    return storeHealth(this.#interactive(), this.#liveRow(id), this.#options.platform);
  }

  public async logs(id: string, opts: { component: string | undefined; tail: number }): Promise<StoreLogs> {
    return storeLogs(this.#interactive(), this.#liveRow(id), opts);
  }

  /** Admin URL, user and password, read live from the store's Secret. */
  public async credentials(id: string): Promise<{ storeId: string; adminUrl: string; username: string; password: string }> {
    const row = this.#liveRow(id, ['Ready', 'Provisioning', 'Failed']);
    const creds = await readAdminSecret(this.#interactive(), row);
    return { storeId: id, adminUrl: row.adminUrl, ...creds };
  }

  public events(id: string, opts: { afterId?: number } = {}): StoreEventRow[] {
    this.#stores.get(id);
    return this.#events.list(id, opts);
  }

  /** Stores waiting for a worker. */
  public queueDepth(): number {
    return this.#queue.depth();
  }

  /** Stores being worked on right now. */
  public inFlight(): number {
    return this.#queue.active();
  }

  /** 1-based position in the queue; 0 while being worked on; undefined when not queued. */
  public queuePosition(id: string): number | undefined {
    return this.#queue.position(id);
  }

  /**
   * Graceful shutdown: stop taking work, let running API calls finish, and wait at most `timeoutMs`.
   * Whatever is unfinished stays Pending/Provisioning/Deleting and the next start() resumes it.
   */
  public async stop(timeoutMs = 10_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#queue.close();
    this.#reconciler.shutdown();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#queue.idle(),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
    ]);
    clearTimeout(timer);
  }

  #interactiveLimits(): InteractiveLimits {
    return { policy: this.#options.retry, timeoutMs: this.#options.interactiveTimeoutMs ?? DEFAULT_INTERACTIVE_TIMEOUT_MS };
  }

  /** Clients and retries for a call an API request waits on; its deadline starts now. */
  #interactive(): Interactive {
    return interactive(this.#kube, this.#interactiveLimits());
  }

  #liveRow(id: string, allowed: readonly StoreStatus[] = ['Ready', 'Provisioning', 'Failed']): StoreRow {
    const row = this.#stores.get(id);
    if (!allowed.includes(row.status)) {
      throw new IllegalTransitionError(`not available while the store is ${row.status}`);
    }
    return row;
  }
}

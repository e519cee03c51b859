import { randomUUID } from 'node:crypto';
import {
  currentRelease, customDomainViolation, engineAvailable, engineOf, releasesOf, storeHost, upgradeProblem, type PlatformSettings, type StoreSpec,
} from '../../constructs/index.js';
import type { Db } from '../db/client.js';
import { DEFAULT_OWNER_ID, type StoreStatus } from '../db/schema.js';
import { OwnersRepo } from '../db/repos/owners-repo.js';
import { BackupsRepo, type BackupRow, type RestoreRow } from '../db/repos/backups-repo.js';
import type { BackupSettings } from '../config.js';
import { EventsRepo, type StoreEventRow } from '../db/repos/events-repo.js';
import { StoresRepo, type StoreRow } from '../db/repos/stores-repo.js';
import {
  BackupEngineMismatchError, BackupInProgressError, BackupNotFoundError, BackupNotRestorableError, BackupsNotConfiguredError, DomainNotAllowedError,
  EngineUnavailableError, IllegalTransitionError, VersionNotAllowedError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_RETRY_POLICY, interactive, type Interactive, type InteractiveLimits, type KubeClients, type RetryPolicy } from '../k8s/index.js';
import { desiredStateOf, identityOf, maintenanceOf, recordedRelease, releaseOfRow, urlsOf, type DesiredState } from '../manifests/desired.js';
import { readAdminSecret, restartWorkloads, storeHealth, storeLogs, type StoreHealth, type StoreLogs } from './operations.js';
import { ownerGuard } from './owner-limits.js';
import { resetAdminPassword } from './reset-password.js';
import { BackupScheduler, SCHEDULER_ACTOR, type BackupSchedulerDeps } from './backup-schedule.js';
import { BackupRunner } from './backups.js';
import { RolloutRunner, type RolloutRequest, type RolloutRunnerDeps } from './rollouts.js';
import { RolloutsRepo, type RolloutRow, type RolloutStoreRow } from '../db/repos/rollouts-repo.js';
import { ReconcileQueue } from './queue.js';
import { Reconciler } from './reconcile.js';
import { ACTIVE_STATUSES, SOFT_DELETABLE, statusAfter, undeleteStatus } from './status.js';
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
  /** The backup target; undefined: backups are off (every backup request is 409 BACKUPS_NOT_CONFIGURED). */
  readonly backups?: BackupSettings;
  /** How long a deleted Ready or Suspended store may be undeleted before it is purged (UNDELETE_WINDOW_HOURS). @default 0 - purged at once */
  readonly undeleteWindowHours?: number;
}

/** How often soft-deleted stores past their purge time are looked for. */
const PURGE_TICK_MS = 60_000;

/** Statuses in which a store's namespace is there to read (health, logs, credentials), a suspended store's too. */
const WITH_NAMESPACE: readonly StoreStatus[] = ['Ready', 'Upgrading', 'Provisioning', 'Failed', 'Suspending', 'Suspended', 'Resuming'];

/** Default of ProvisionerOptions.interactiveTimeoutMs. */
export const DEFAULT_INTERACTIVE_TIMEOUT_MS = 5_000;

export interface ProvisionerDeps {
  readonly db: Db;
  readonly kube: KubeClients;
  readonly log: Logger;
  readonly options: ProvisionerOptions;
  /** Test seam: desired state for a row (default: the real constructs). */
  readonly desired?: (row: StoreRow) => DesiredState;
  /** Test seam: the backup scheduler's interval and tick, shorter than the configuration's hours. */
  readonly backupSchedule?: Pick<BackupSchedulerDeps, 'everyMs' | 'tickMs'>;
  /** Test seam: the clock of purge times (undelete windows) and of rollout pauses. */
  readonly now?: () => Date;
  /** Test seam: how often rollouts advance. */
  readonly rolloutTicks?: Pick<RolloutRunnerDeps, 'tickMs'>;
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
  readonly #backups: BackupsRepo;
  readonly #runner: BackupRunner;
  readonly #rollouts: RolloutRunner;
  readonly #rolloutsRepo: RolloutsRepo;
  /** Undefined while backups are off. */
  readonly #schedule: BackupScheduler | undefined;
  readonly #timeline: Timeline;
  readonly #reconciler: Reconciler;
  readonly #queue: ReconcileQueue;
  readonly #kube: KubeClients;
  readonly #log: Logger;
  readonly #options: ProvisionerOptions;
  readonly #now: () => Date;
  #purgeTimer: NodeJS.Timeout | undefined;
  #started = false;
  #stopped = false;

  public constructor(deps: ProvisionerDeps) {
    this.#stores = new StoresRepo(deps.db);
    this.#events = new EventsRepo(deps.db);
    this.#owners = new OwnersRepo(deps.db);
    this.#backups = new BackupsRepo(deps.db);
    this.#timeline = new Timeline(this.#events, this.bus);
    this.#kube = deps.kube;
    this.#log = deps.log.child({ component: 'provisioner' });
    this.#options = deps.options;
    this.#now = deps.now ?? (() => new Date());
    const platform = deps.options.platform;
    const status = new StatusWriter(this.#stores, this.bus, this.#timeline);
    const desired = deps.desired ?? ((row: StoreRow) => desiredStateOf(row, platform));
    this.#runner = new BackupRunner({
      stores: this.#stores, backups: this.#backups, timeline: this.#timeline, status, bus: this.bus, kube: deps.kube,
      log: this.#log.child({ component: 'backups' }), settings: deps.options.backups, platform, retry: deps.options.retry ?? DEFAULT_RETRY_POLICY, desired,
    });
    const backups = deps.options.backups;
    this.#schedule = backups && new BackupScheduler({
      stores: this.#stores, backups: this.#backups, log: this.#log.child({ component: 'backup-schedule' }),
      request: (storeId) => this.#runner.requestBackup(storeId, 'scheduled', SCHEDULER_ACTOR),
      everyMs: backups.scheduleHours === undefined ? undefined : backups.scheduleHours * 3_600_000, maxPending: backups.concurrency,
      ...deps.backupSchedule,
    });
    this.#reconciler = new Reconciler({
      stores: this.#stores, events: this.#events, backups: this.#backups, timeline: this.#timeline, kube: deps.kube, log: this.#log,
      status,
      options: {
        retry: deps.options.retry ?? DEFAULT_RETRY_POLICY,
        stepTimeoutSeconds: deps.options.stepTimeoutSeconds,
        stepTimeouts: deps.options.stepTimeouts,
        deleteTimeoutSeconds: deps.options.deleteTimeoutSeconds ?? 300,
      },
      platform,
      desired,
      identity: identityOf,
      maintenance: (row, desired) => maintenanceOf(row, desired, platform),
      seedFromBackup: (row) => this.#runner.seed(row),
      rollbackRestore: (row, backupId, reason) => this.#runner.rollback(row, backupId, reason),
      now: this.#now,
    });
    this.#rolloutsRepo = new RolloutsRepo(deps.db);
    this.#rollouts = new RolloutRunner({
      rollouts: this.#rolloutsRepo, stores: this.#stores, bus: this.bus, log: this.#log.child({ component: 'rollouts' }),
      releaseOf: (row) => releaseOfRow(row, platform),
      upgradeProblem: (engine, from, to) => upgradeProblem(platform, engine, engineOf(engine).versioning, from, to),
      upgrade: (storeId, version, actor) => this.upgrade(storeId, version, actor),
      ...deps.rolloutTicks, ...(deps.now ? { now: deps.now } : {}),
    });
    this.#queue = new ReconcileQueue((id) => this.#reconciler.reconcile(id), deps.options.concurrency, (id, err) => {
      this.#log.error({ err, storeId: id }, 'Reconcile crashed');
    });
  }

  /** Crash recovery: re-queues every store left with work (ACTIVE_STATUSES: mid-provision, -suspend, -resume or -delete), oldest first. */
  public async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    // readiness waits hear their objects change from here on; until a kind is listed they poll
    void this.#kube.changes.start((kind, state, err) => {
      if (state === 'failed') this.#log.warn({ kind, err }, 'Watch failed; readiness polls until it is back');
      else this.#log.info({ kind }, 'Watching');
    });
    const left = this.#stores.listByStatus(ACTIVE_STATUSES);
    for (const row of left) {
      if (row.status !== 'Pending') this.#reconciler.markRecovered(row.id);
      this.#queue.enqueue(row.id);
    }
    if (left.length > 0) this.#log.info({ count: left.length }, 'Resuming unfinished stores');
    this.#runner.start();
    this.#schedule?.start();
    this.#rollouts.start();
    if ((this.#options.undeleteWindowHours ?? 0) > 0) {
      this.#purgeTimer = setInterval(() => this.purgeDue(), PURGE_TICK_MS);
      this.#purgeTimer.unref();
    }
  }

  /** Queues the purge of every soft-deleted store whose undelete window has ended; answers their ids. */
  public purgeDue(): string[] {
    const due = this.#stores.listDueForPurge(this.#now());
    for (const id of due) this.#queue.enqueue(id);
    return due;
  }

  /**
   * Inserts the store as Pending for its owner and queues it. The owner's allowance and limits, the
   * MAX_STORES check, the host check (HOST_TAKEN; also a unique index) and the insert are one SQLite transaction; teardownOnFailure defaults to the
   * platform setting. `onInsert` runs inside that transaction (the API records the Idempotency-Key answer there).
   */
  public async create(
    spec: StoreSpec & { teardownOnFailure?: boolean },
    opts: { actor: string; ownerId?: string; teardownOnFailure?: boolean; onInsert?: (row: StoreRow) => void; sourceBackupId?: string },
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
      databaseServer: engineOf(spec.engine).database?.forNewStore(this.#options.platform) ?? null,
      release: recordedRelease(spec.engine, currentRelease(this.#options.platform, spec.engine, engineOf(spec.engine).versioning), this.#options.platform),
      teardownOnFailure: opts.teardownOnFailure ?? spec.teardownOnFailure ?? this.#options.teardownOnFailure,
      sourceBackupId: opts.sourceBackupId ?? null,
      createdBy: opts.actor, createdAt: now, updatedAt: now,
    }, this.#options.maxStores ?? Number.POSITIVE_INFINITY, ownerGuard(this.#owners, ownerId, spec), opts.onInsert);
    this.#timeline.record(row.id, PLATFORM_STEPS.store, 'info', `Store requested by ${opts.actor}`);
    this.bus.emit('store', row);
    this.#queue.enqueue(row.id);
    return row;
  }

  /**
   * A new store made from a Succeeded backup: a clone of a live store, or a deleted store brought back
   * (under its old name or a new one). It is created like any store (its own secrets, name and host);
   * after its steps the backup is restored into it and made its own (URLs, admin password), and only
   * then is it Ready. Refusals: backups not configured, no such backup, not Succeeded, another engine.
   */
  public async createFromBackup(backupId: string, spec: StoreSpec, opts: { actor: string; ownerId?: string }): Promise<StoreRow> {
    if (!this.#runner.enabled) throw new BackupsNotConfiguredError('backups are not configured on this platform (BACKUP_S3_ENDPOINT is unset)');
    const backup = this.#backups.find(backupId);
    if (!backup) throw new BackupNotFoundError(`backup '${backupId}' does not exist`);
    if (backup.status !== 'Succeeded') throw new BackupNotRestorableError(`backup '${backupId}' is ${backup.status}: only a Succeeded backup can be restored`);
    if (backup.engine !== spec.engine) throw new BackupEngineMismatchError(`backup '${backupId}' is of engine '${backup.engine}', the new store's is '${spec.engine}'`);
    const row = await this.create(spec, { ...opts, sourceBackupId: backupId });
    this.#timeline.record(row.id, PLATFORM_STEPS.restore, 'info', `Made from backup ${backupId} (${backup.kind}) of store ${backup.slug}`);
    return row;
  }

  public get(id: string): StoreRow {
    return this.#stores.get(id);
  }

  public list(q: ListStoresOptions): { items: StoreRow[]; nextCursor?: string } {
    return this.#stores.list(q);
  }

  /**
   * Marks the store Deleting, cancels what is still running for it, and queues the teardown. With backups
   * configured (and BACKUP_BEFORE_DELETE), a Ready store (or one whose delete failed) gets a final backup
   * first, which the teardown waits for; `skipFinalBackup` (admins only, checked by the route) goes without.
   * With an undelete window, a Ready or Suspended store is soft-deleted: parked until its purge time, when
   * it is purged; `purgeNow` (admins only) purges at once, a soft-deleted store too.
   */
  public async delete(id: string, actor: ActorArg | { readonly actor: string; readonly skipFinalBackup?: boolean; readonly purgeNow?: boolean }): Promise<StoreRow> {
    const opts = typeof actor === 'string' ? {} : actor;
    const skip = 'skipFinalBackup' in opts && opts.skipFinalBackup === true;
    const purgeNow = 'purgeNow' in opts && opts.purgeNow === true;
    const now = this.#now();
    const cur = this.#stores.get(id);
    if (cur.status === 'Deleting') return purgeNow && cur.purgeAt !== null && cur.purgeAt > now ? this.#purgeNow(cur, actorOf(actor), now) : cur;
    const running = this.#backups.activeRun(id);
    if (running !== undefined) throw new BackupInProgressError(`store '${id}' is running ${running.kind} ${running.id}; delete it when that has finished`);
    statusAfter('delete', cur.status); // throws for Deleted
    const windowMs = (this.#options.undeleteWindowHours ?? 0) * 3_600_000;
    const soft = windowMs > 0 && !purgeNow && SOFT_DELETABLE.includes(cur.status);
    const purgeAt = soft ? new Date(now.getTime() + windowMs) : null;
    const final = this.#finalBackup(cur, actorOf(actor), skip);
    const note = (final !== undefined ? `; final backup ${final.id} first` : skip && this.#runner.enabled ? ' without a final backup' : '')
      + (purgeAt !== null ? `; it can be undeleted until ${purgeAt.toISOString()}` : '');
    const row = this.#reconciler.move(id, 'Deleting', { finalBackupId: final?.id ?? null, purgeAt, undeleteTo: soft ? cur.status as 'Ready' | 'Suspended' : null }, {
      step: PLATFORM_STEPS.delete, phase: 'info', message: `Delete requested by ${actorOf(actor)}${note}`,
    });
    if (!row) throw new IllegalTransitionError(`cannot delete a store that is ${this.#stores.get(id).status}`);
    this.#reconciler.cancel(id, 'delete');
    this.#queue.enqueue(id);
    return row;
  }

  /** A soft-deleted store purged before its time (the queue runs it after a parking still under way). */
  #purgeNow(cur: StoreRow, actor: string, now: Date): StoreRow {
    const row = this.#reconciler.amend(cur.id, 'Deleting', { purgeAt: now, undeleteTo: null }, {
      step: PLATFORM_STEPS.delete, phase: 'info', message: `Purge requested by ${actor}: the undelete window is closed`,
    });
    if (!row) throw new IllegalTransitionError(`cannot purge a store that is ${this.#stores.get(cur.id).status}`);
    this.#queue.enqueue(cur.id);
    return row;
  }

  /**
   * A soft-deleted store back to what it was before its purge time: a Ready one through Resuming (workloads
   * up, the page gone, its check) to Ready, a Suspended one straight back to Suspended. What its delete was
   * still doing is cancelled; while its final backup runs, 409 BACKUP_IN_PROGRESS.
   */
  public async undelete(id: string, actor: ActorArg): Promise<StoreRow> {
    const cur = this.#stores.get(id);
    const to = undeleteStatus(cur, this.#now()); // throws IllegalTransitionError (409)
    const running = this.#backups.activeRun(id);
    if (running !== undefined) throw new BackupInProgressError(`store '${id}' is taking its final backup ${running.id}; undelete it when that has finished`);
    const row = this.#reconciler.move(id, to, { purgeAt: null, undeleteTo: null, finalBackupId: null, statusReason: null, failedStep: null }, {
      step: PLATFORM_STEPS.undelete, phase: 'info',
      message: `Undelete requested by ${actorOf(actor)}: ${to === 'Resuming' ? 'resuming the store' : 'back to Suspended'}`,
    });
    if (!row) throw new IllegalTransitionError(`cannot undelete a store that is ${this.#stores.get(id).status}`);
    this.#reconciler.cancel(id, 'undelete');
    if (to === 'Resuming') this.#queue.enqueue(id);
    return row;
  }

  /** The final backup a delete takes, if any: backups on, BACKUP_BEFORE_DELETE, not skipped, and a store with data to keep. */
  #finalBackup(cur: StoreRow, actor: string, skip: boolean): BackupRow | undefined {
    const settings = this.#options.backups;
    if (settings === undefined || !settings.beforeDelete || skip) return undefined;
    const hasData = cur.status === 'Ready' || (cur.status === 'Failed' && (cur.failedStep === PLATFORM_STEPS.delete || cur.failedStep === PLATFORM_STEPS.restore));
    if (!hasData) return undefined;
    return this.#runner.requestBackup(cur.id, 'final', actor, ['Ready', 'Failed']);
  }

  /**
   * Failed -> Pending, resuming at the failed step; or the phase that failed again (Deleting,
   * Suspending, Resuming) when a delete, suspend or resume failed; a delete again takes a new final backup.
   */
  public async retry(id: string, actor: ActorArg): Promise<StoreRow> {
    const cur = this.#stores.get(id);
    const to = statusAfter('retry', cur.status, cur.failedStep);
    // a soft delete that failed after its final backup (parking, or the purge) keeps that one: the store may be scaled down
    const taken = to === 'Deleting' && cur.purgeAt !== null ? cur.finalBackupId : null;
    const final = to === 'Deleting' && taken === null ? this.#finalBackup(cur, actorOf(actor), false) : undefined;
    // provisioning resumes at failedStep and clears it itself; a suspend or resume runs from its first step
    const patch = to === 'Suspending' || to === 'Resuming' || to === 'Upgrading'
      ? { failedStep: null, statusReason: null }
      : to === 'Deleting' ? { finalBackupId: taken ?? final?.id ?? null } : {};
    const row = this.#reconciler.move(id, to, patch, {
      step: PLATFORM_STEPS.store, phase: 'info', message: `Retry requested by ${actorOf(actor)}${cur.failedStep ? ` (failed at '${cur.failedStep}')` : ''}${final ? `; final backup ${final.id} first` : ''}`,
    });
    if (!row) throw new IllegalTransitionError(`cannot retry a store that is ${this.#stores.get(id).status}`);
    this.#queue.enqueue(id);
    return row;
  }

  /**
   * Ready -> Suspending: the engine puts up the maintenance page, suspends the CronJobs and scales the
   * workloads to zero (volumes and Secrets kept), then marks the store Suspended. A repeat is a no-op.
   */
  public async suspend(id: string, actor: ActorArg): Promise<StoreRow> {
    return this.#lifecycleAction(id, 'suspend', actor);
  }

  /**
   * Suspended -> Resuming: the engine scales the workloads back to the plan's replicas, resumes the
   * CronJobs, points the Ingress back at the store, removes the page and runs the store check before
   * Ready. A repeat is a no-op.
   */
  public async resume(id: string, actor: ActorArg): Promise<StoreRow> {
    return this.#lifecycleAction(id, 'resume', actor);
  }

  async #lifecycleAction(id: string, action: 'suspend' | 'resume', actor: ActorArg): Promise<StoreRow> {
    const cur = this.#stores.get(id);
    const to = statusAfter(action, cur.status); // throws IllegalTransitionError (409)
    if (to === cur.status) return cur;
    const row = this.#reconciler.move(id, to, { statusReason: null }, {
      step: action === 'suspend' ? PLATFORM_STEPS.suspend : PLATFORM_STEPS.resume, phase: 'info',
      message: `${action === 'suspend' ? 'Suspend' : 'Resume'} requested by ${actorOf(actor)}`,
    });
    if (!row) throw new IllegalTransitionError(`cannot ${action} a store that is ${this.#stores.get(id).status}`);
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

  /**
   * Ready -> Upgrading to another release of the store's engine, along a path the catalogue allows. With
   * backups configured a pre-upgrade backup is taken first and a failed upgrade restores it (rollback);
   * `skipBackup` (admins only, checked by the route) goes without one, and so does a platform without
   * backups: a rollback then puts the old release back on the data as the upgrade left it.
   * Refusals: not Ready (409), version unknown or not reachable from the store's release (409 VERSION_NOT_ALLOWED).
   * Asking again for the upgrade under way answers with the store as it is.
   */
  public async upgrade(id: string, version: string, actor: ActorArg, opts: { skipBackup?: boolean } = {}): Promise<StoreRow> {
    const cur = this.#stores.get(id);
    const platform = this.#options.platform;
    if (cur.status === 'Upgrading' && releaseOfRow(cur, platform) === version) return cur;
    statusAfter('upgrade', cur.status); // throws IllegalTransitionError (409)
    const from = releaseOfRow(cur, platform);
    const problem = upgradeProblem(platform, cur.engine, engineOf(cur.engine).versioning, from, version);
    if (problem !== undefined) throw new VersionNotAllowedError(problem);
    const backup = this.#runner.enabled && opts.skipBackup !== true ? this.#runner.requestBackup(id, 'pre-upgrade', actorOf(actor)) : undefined;
    const row = this.#reconciler.move(id, 'Upgrading', { release: recordedRelease(cur.engine, version, platform), upgradeFrom: from, upgradeBackupId: backup?.id ?? null, statusReason: null, failedStep: null }, {
      step: PLATFORM_STEPS.upgrade, phase: 'info',
      message: `Upgrade ${cur.engine} ${from} -> ${version} requested by ${actorOf(actor)}${backup ? `; pre-upgrade backup ${backup.id} first` : '; no pre-upgrade backup'}`,
    });
    if (!row) throw new IllegalTransitionError(`cannot upgrade a store that is ${this.#stores.get(id).status}`);
    this.#queue.enqueue(id);
    return row;
  }

  public releaseOf(row: Pick<StoreRow, 'engine' | 'release'>): string {
    return releaseOfRow(row, this.#options.platform);
  }

  /**
   * Starts a fleet rollout (admins only, checked by the route): the release must be in the catalogue
   * (VERSION_NOT_ALLOWED), the selector must pick a store not on it yet (NO_STORES_SELECTED), and none of
   * them may be in another open rollout (ROLLOUT_CONFLICT).
   */
  public startRollout(req: RolloutRequest, actor: string): RolloutRow {
    const versioning = engineAvailable(req.engine) ? engineOf(req.engine).versioning : undefined;
    if (!versioning) throw new EngineUnavailableError(`engine '${req.engine}' is not available`);
    if (!releasesOf(this.#options.platform, req.engine, versioning).some((r) => r.version === req.version)) {
      throw new VersionNotAllowedError(`release '${req.version}' of engine '${req.engine}' is not in the catalogue; known: ${releasesOf(this.#options.platform, req.engine, versioning).map((r) => r.version).join(', ')}`);
    }
    return this.#rollouts.create(req, actor);
  }

  public rollout(id: string): { rollout: RolloutRow; stores: RolloutStoreRow[] } {
    return { rollout: this.#rolloutsRepo.get(id), stores: this.#rolloutsRepo.stores(id) };
  }

  public listRollouts(limit: number): RolloutRow[] {
    return this.#rolloutsRepo.list(limit);
  }

  /** Pause, resume or abort a rollout; IllegalTransitionError (409) when its status does not allow it. */
  public rolloutAction(id: string, action: 'pause' | 'resume' | 'abort', actor: string): RolloutRow {
    return action === 'pause' ? this.#rollouts.pause(id, actor) : action === 'resume' ? this.#rollouts.resume(id, actor) : this.#rollouts.abort(id, actor);
  }

  /** One rollout pass now (tests; the runner ticks by itself). */
  public tickRollouts(): Promise<void> {
    return this.#rollouts.tick();
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
    return storeHealth(this.#interactive(), this.#liveRow(id, WITH_NAMESPACE), this.#options.platform);
  }

  public async logs(id: string, opts: { component: string | undefined; tail: number }): Promise<StoreLogs> {
    return storeLogs(this.#interactive(), this.#liveRow(id, WITH_NAMESPACE), opts);
  }

  /** Admin URL, user and password, read live from the store's Secret. */
  public async credentials(id: string): Promise<{ storeId: string; adminUrl: string; username: string; password: string }> {
    const row = this.#liveRow(id, WITH_NAMESPACE);
    const creds = await readAdminSecret(this.#interactive(), row);
    return { storeId: id, adminUrl: row.adminUrl, ...creds };
  }

  /** Queues an on-demand backup of a Ready store (202 at the API); see BackupRunner.requestBackup. */
  public async backup(id: string, opts: { actor: string }): Promise<BackupRow> {
    return this.#runner.requestBackup(id, 'on-demand', opts.actor);
  }

  /** Puts the store into maintenance and restores one of its backups; see BackupRunner.requestRestore. */
  public async restore(id: string, backupId: string, opts: { actor: string }): Promise<RestoreRow> {
    return this.#runner.requestRestore(id, backupId, opts.actor);
  }

  /** Whether a backup target is configured. */
  public get backupsEnabled(): boolean {
    return this.#runner.enabled;
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
   * Whatever is unfinished stays in its status (ACTIVE_STATUSES) and the next start() resumes it.
   */
  public async stop(timeoutMs = 10_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#queue.close();
    clearInterval(this.#purgeTimer);
    this.#reconciler.shutdown();
    this.#schedule?.stop();
    await this.#rollouts.stop();
    const runs = this.#runner.stop(timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([this.#queue.idle(), runs]),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
    ]);
    clearTimeout(timer);
    await this.#kube.changes.stop();
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

import { randomBytes } from 'node:crypto';
import PQueue from 'p-queue';
import { BACKUP_JOB_DEADLINE_SECONDS, BACKUP_NAMES, NAME_LABEL, RETENTION, STORE_ID_LABEL, type Plan, type PlatformSettings } from '../../constructs/index.js';
import { dropSourceSecret, ensureRepositorySecrets, ensureSourceSecret } from '../backup/repository.js';
import type { BackupSettings } from '../config.js';
import type { BackupRow, BackupsRepo, RestoreRow } from '../db/repos/backups-repo.js';
import type { StoreRow, StoresRepo } from '../db/repos/stores-repo.js';
import type { BackupKind, StoreStatus } from '../db/schema.js';
import {
  BackupEngineMismatchError, BackupInProgressError, BackupNotFoundError, BackupNotRestorableError, BackupOfAnotherStoreError,
  BackupsNotConfiguredError, IllegalTransitionError, StoreNotReadyError,
} from '../errors.js';
import {
  CancelledError, createIfAbsent, deleteJob, ensureObject, FIELD_MANAGER, podNames, readJobRun, readScale, scaleWorkload, setCronJobSuspended, sleep, waitForReady, withRetry,
  type CallOptions, type JobRun, type KubeClients, type RetryPolicy, type WorkloadRef,
} from '../k8s/index.js';
import type { Logger } from '../logger.js';
import { componentsOfRow, engineOfRow, identityOf, releaseOfRow, specOf, type DesiredState } from '../manifests/desired.js';
import type { StoreBus } from './bus.js';
import { messageOf } from './phase.js';
import { cronJobsOf } from './suspend.js';
import { PLATFORM_STEPS, type Timeline } from './timeline.js';
import type { StatusWriter } from './transition.js';

/** How the status reason of a store rolled back from a failed upgrade begins. */
export const ROLLBACK_REASON = 'Upgrade rolled back';

/** Annotation on an app workload scaled down for a restore: its replicas before, so a resumed restore scales it back. */
export const REPLICAS_BEFORE_RESTORE = 'store-platform.io/replicas-before-restore';

/** Where a run failed (recorded on the row and the timeline). */
export type RunStep = 'secrets' | 'apply' | 'backup' | 'scale-down' | 'restore' | 'scale-up' | 'adopt' | 'check';

export interface BackupRunnerDeps {
  readonly stores: StoresRepo;
  readonly backups: BackupsRepo;
  readonly timeline: Timeline;
  readonly status: StatusWriter;
  readonly bus: StoreBus;
  readonly kube: KubeClients;
  readonly log: Logger;
  /** Undefined: backups are not configured, and every request is refused with BACKUPS_NOT_CONFIGURED. */
  readonly settings: BackupSettings | undefined;
  readonly platform: PlatformSettings;
  readonly retry: RetryPolicy;
  readonly desired: (row: StoreRow) => DesiredState;
  /** How long the app may take to stop and to come back. @default 300 */
  readonly workloadTimeoutSeconds?: number;
}

/**
 * Whether a failed restore Job's message says the store was not changed: the engines' restore scripts
 * refuse a backup before they touch anything, or undo a failed import (PostgreSQL rolls its transaction
 * back; the WooCommerce script puts the copy it kept back) and say the database is unchanged.
 */
export function restoreLeftStoreAsItWas(reason: string): boolean {
  return /refusing to restore|the store's database is unchanged/.test(reason);
}

/** A run failed at `step`; `untouched` when the restore refused before it wrote anything. */
class RunFailure extends Error {
  public constructor(public readonly step: RunStep, message: string, public readonly untouched = false) {
    super(message);
  }
}

/** A backup id: time-ordered and unique, short enough for `restore-<id>` and its pods' names. */
export function newBackupId(now: Date): string {
  return `${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The script's `FAILED:` line from a termination message (logs on an error), else its last line. */
export function failureOf(run: JobRun): string {
  const lines = (run.message ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const failed = [...lines].reverse().find((l) => l.includes('FAILED:'));
  const text = failed?.replace(/^.*?FAILED:\s*/, '') ?? lines.at(-1) ?? run.reason ?? 'the Job failed without a message';
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** The result line a backup script writes (sizes and duration); undefined when absent or not JSON. */
export function resultOf(run: JobRun): { sizeBytes?: number; durationSeconds?: number } | undefined {
  try {
    const parsed = JSON.parse(run.message ?? '') as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { sizeBytes, durationSeconds } = parsed as Record<string, unknown>;
    return {
      ...(typeof sizeBytes === 'number' && sizeBytes >= 0 ? { sizeBytes } : {}),
      ...(typeof durationSeconds === 'number' && durationSeconds >= 0 ? { durationSeconds } : {}),
    };
  } catch {
    return undefined;
  }
}

const DAY_MS = 86_400_000;

/** How long applying a store's admin password to the data it was made from may take (one wp-cli or medusa call). */
const ADOPT_PASSWORD_TIMEOUT_MS = 600_000;

/**
 * Backups and restores of stores: each request becomes a row (Pending), then a run on a small queue of
 * its own (BACKUP_CONCURRENCY), so a long backup never holds a provisioning worker. A run applies the
 * engine's backup or restore objects, waits for the Job's outcome from its status, and reads the
 * script's result from the pod's termination message. One backup or restore per store at a time
 * (the rows' insert checks it). Rows still Pending or Running at start-up are resumed: their Jobs have
 * fixed names, so a resumed run finds its Job instead of starting another.
 */
export class BackupRunner {
  readonly #d: BackupRunnerDeps;
  readonly #queue: PQueue;
  readonly #shutdown = new AbortController();
  readonly #pollMs = { base: 500, max: 5_000 };

  public constructor(deps: BackupRunnerDeps) {
    this.#d = deps;
    this.#queue = new PQueue({ concurrency: deps.settings?.concurrency ?? 1 });
  }

  public get enabled(): boolean {
    return this.#d.settings !== undefined;
  }

  /** Resumes the runs an earlier process left Pending or Running. */
  public start(): void {
    if (!this.#d.settings) return;
    for (const b of this.#d.backups.listActive()) this.#enqueue(() => this.#runBackup(b.id));
    for (const r of this.#d.backups.listActiveRestores()) this.#enqueue(() => this.#runRestore(r.id, true));
  }

  /** Stops at the next Kubernetes call; unfinished runs stay Running and the next start resumes them. */
  public async stop(timeoutMs: number): Promise<void> {
    this.#shutdown.abort(new CancelledError('shutdown'));
    this.#queue.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#queue.onIdle(), new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); })]);
    clearTimeout(timer);
  }

  /** Backups waiting for a worker or running. */
  public depth(): number {
    return this.#queue.size + this.#queue.pending;
  }

  #settings(): BackupSettings {
    if (!this.#d.settings) throw new BackupsNotConfiguredError('backups are not configured on this platform (BACKUP_S3_ENDPOINT is unset)');
    return this.#d.settings;
  }

  /**
   * Queues a backup of a store in one of `allowed` statuses (Ready; a delete's final backup also takes a
   * Failed delete's store). Refuses a store that already runs a backup or restore.
   */
  public requestBackup(storeId: string, kind: BackupKind, actor: string, allowed: readonly StoreStatus[] = ['Ready']): BackupRow {
    this.#settings();
    const store = this.#d.stores.get(storeId);
    if (!allowed.includes(store.status)) throw new StoreNotReadyError(`only a Ready store can be backed up (status is ${store.status})`);
    const now = new Date();
    const row = this.#d.backups.insertUnlessBusy({
      id: newBackupId(now), storeId, slug: store.slug, engine: store.engine, kind, status: 'Pending', createdBy: actor, createdAt: now,
    });
    if (!row) throw this.#busy(storeId);
    this.#d.timeline.record(storeId, PLATFORM_STEPS.backup, 'info', `Backup ${row.id} (${kind}) requested by ${actor}`);
    this.#enqueue(() => this.#runBackup(row.id));
    return row;
  }

  /**
   * Puts a Ready store into maintenance (Restoring) and queues the restore of one of its own backups.
   * Refusals, in order: not configured, no such backup, another engine's, another store's, not
   * restorable, store busy, store not Ready.
   */
  public requestRestore(storeId: string, backupId: string, actor: string): RestoreRow {
    this.#settings();
    const store = this.#d.stores.get(storeId);
    const backup = this.#d.backups.find(backupId);
    if (!backup) throw new BackupNotFoundError(`backup '${backupId}' does not exist`);
    if (backup.engine !== store.engine) throw new BackupEngineMismatchError(`backup '${backupId}' is of engine '${backup.engine}', store '${storeId}' runs '${store.engine}'`);
    if (backup.storeId !== storeId) throw new BackupOfAnotherStoreError(`backup '${backupId}' belongs to another store; a restore takes the store's own backups`);
    if (backup.status !== 'Succeeded') throw new BackupNotRestorableError(`backup '${backupId}' is ${backup.status}: only a Succeeded backup can be restored`);
    // a store whose last restore failed midway takes another restore (e.g. of its pre-restore backup)
    const restorable = store.status === 'Ready' || (store.status === 'Failed' && store.failedStep === PLATFORM_STEPS.restore);
    if (!restorable) {
      if (this.#d.backups.activeRun(storeId)) throw this.#busy(storeId);
      throw new StoreNotReadyError(`only a Ready store can be restored (status is ${store.status})`);
    }
    const now = new Date();
    const restore = this.#d.backups.insertRestoreUnlessBusy({ id: newBackupId(now), storeId, backupId, status: 'Pending', createdBy: actor, createdAt: now });
    if (!restore) throw this.#busy(storeId);
    const moved = this.#d.status.transition(storeId, 'Restoring', { statusReason: `Restoring backup ${backupId}` }, {
      step: PLATFORM_STEPS.restore, phase: 'info', message: `Restore of backup ${backupId} requested by ${actor}; the store is in maintenance`,
    });
    if (!moved) {
      this.#d.backups.updateRestore(restore.id, { status: 'Failed', errorStep: 'scale-down', errorReason: 'the store changed status before the restore began', finishedAt: new Date() });
      throw new IllegalTransitionError(`cannot restore a store that is ${this.#d.stores.get(storeId).status}`);
    }
    this.#enqueue(() => this.#runRestore(restore.id, false));
    return restore;
  }

  /**
   * A provisioned store made from a backup (another store's, or a deleted one's): moves it to Restoring
   * and queues the restore of that backup; false when it is not made from one or holds it already.
   */
  public seed(row: StoreRow): boolean {
    const backupId = row.sourceBackupId;
    if (backupId === null || this.#d.backups.restored(row.id, backupId)) return false;
    this.#settings();
    const source = this.#d.backups.get(backupId);
    const now = new Date();
    const restore = this.#d.backups.insertRestoreUnlessBusy({ id: newBackupId(now), storeId: row.id, backupId, status: 'Pending', createdBy: row.createdBy ?? 'platform', createdAt: now });
    if (!restore) throw this.#busy(row.id);
    const moved = this.#d.status.transition(row.id, 'Restoring', { statusReason: `Restoring backup ${backupId} of store ${source.slug}` }, {
      step: PLATFORM_STEPS.restore, phase: 'info', message: `Provisioned; restoring backup ${backupId} of store ${source.slug} (${source.kind}) into it`,
    });
    if (!moved) {
      this.#d.backups.updateRestore(restore.id, { status: 'Failed', errorStep: 'scale-down', errorReason: 'the store changed status before the restore began', finishedAt: new Date() });
      return true; // deleted meanwhile: the delete goes on
    }
    this.#enqueue(() => this.#runRestore(restore.id, false));
    return true;
  }

  /**
   * A failed upgrade's rollback (upgrade.ts): moves the Upgrading store, already back on its old release, to
   * Restoring and queues the restore of its pre-upgrade backup; its check then makes it Ready again.
   * False when the store is no longer Upgrading.
   */
  public rollback(row: StoreRow, backupId: string, reason: string): boolean {
    this.#settings();
    const now = new Date();
    const restore = this.#d.backups.insertRestoreUnlessBusy({ id: newBackupId(now), storeId: row.id, backupId, status: 'Pending', createdBy: 'platform', createdAt: now });
    if (!restore) throw this.#busy(row.id);
    const moved = this.#d.status.transition(row.id, 'Restoring', { statusReason: `${ROLLBACK_REASON} to ${releaseOfRow(row, this.#d.platform)} (${reason}): restoring backup ${backupId}`, upgradeFrom: null, upgradeBackupId: null }, {
      step: PLATFORM_STEPS.restore, phase: 'info', message: `Rollback (${reason}): restoring the pre-upgrade backup ${backupId}, so the data is as it was before the upgrade`,
    });
    if (!moved) {
      this.#d.backups.updateRestore(restore.id, { status: 'Failed', errorStep: 'scale-down', errorReason: 'the store changed status before the restore began', finishedAt: new Date() });
      return false;
    }
    this.#enqueue(() => this.#runRestore(restore.id, false));
    return true;
  }

  #busy(storeId: string): BackupInProgressError {
    const run = this.#d.backups.activeRun(storeId);
    return new BackupInProgressError(run ? `store '${storeId}' is running ${run.kind} ${run.id}; wait for it to finish` : `store '${storeId}' is busy`);
  }

  #enqueue(run: () => Promise<void>): void {
    void this.#queue.add(async () => {
      try {
        await run();
      } catch (err) {
        this.#d.log.error({ err }, 'Backup run crashed');
      }
    });
  }

  #call(storeId: string, step: string, deadline: number): CallOptions {
    return {
      policy: this.#d.retry, signal: this.#shutdown.signal, deadline,
      onRetry: (err, attempt, delayMs) => this.#d.timeline.retrying(storeId, step, err.message, { attempt, delayMs }),
    };
  }

  /** Waits for the Job's outcome (Complete or Failed in its status) until the deadline. */
  async #waitJob(ref: { namespace: string; name: string }, call: CallOptions, deadline: number): Promise<JobRun> {
    let delay = this.#pollMs.base;
    let absent = 0;
    for (;;) {
      const run = await readJobRun(this.#d.kube, ref, call);
      if (run.state === 'succeeded' || run.state === 'failed') return run;
      if (run.state === 'absent' && ++absent >= 5) return { state: 'failed', reason: `Job ${ref.namespace}/${ref.name} is gone` };
      if (Date.now() + delay > deadline) return { state: 'failed', reason: `Job ${ref.namespace}/${ref.name} did not finish in time` };
      await sleep(delay, this.#shutdown.signal);
      delay = Math.min(delay * 2, this.#pollMs.max);
    }
  }

  async #applyRun(row: StoreRow, objects: readonly { kind: string }[], call: CallOptions): Promise<void> {
    const { owner } = identityOf(row);
    // the scripts and policies follow the platform's version (server-side apply); the Job is created once
    for (const obj of objects) await withRetry(() => ensureObject(this.#d.kube.objects, obj as never, owner, 'apply'), call);
  }

  async #runBackup(id: string): Promise<void> {
    const { backups, timeline, stores } = this.#d;
    const settings = this.#settings();
    const b = backups.get(id);
    const row = stores.get(b.storeId);
    const log = this.#d.log.child({ storeId: row.id, backupId: id });
    const startedAt = b.startedAt ?? new Date();
    const deadline = startedAt.getTime() + (BACKUP_JOB_DEADLINE_SECONDS + 300) * 1000;
    const resumed = b.status === 'Running';
    backups.update(id, { status: 'Running', startedAt });
    timeline.record(row.id, PLATFORM_STEPS.backup, 'started', resumed ? `Backup ${id} resumed after an engine restart` : `Backup ${id} (${b.kind}) started`);
    const call = this.#call(row.id, PLATFORM_STEPS.backup, deadline);
    const namespace = identityOf(row).namespace;
    const jobName = `${BACKUP_NAMES.backupJobPrefix}${id}`;
    let step: RunStep = 'secrets';
    try {
      await ensureRepositorySecrets(this.#d.kube, settings, row.slug, call);
      step = 'apply';
      const spec = specOf(row);
      await this.#applyRun(row, engineOfRow(row).backup.backupObjects(row.slug, { spec, platform: this.#d.platform, target: settings.target, backupId: id }), call);
      step = 'backup';
      const run = await this.#waitJob({ namespace, name: jobName }, call, deadline);
      if (run.state !== 'succeeded') throw new RunFailure('backup', failureOf(run));
      const result = resultOf(run);
      const finishedAt = new Date();
      const keepDays = RETENTION[spec.plan as Plan].keepDaily;
      const done = backups.update(id, {
        status: 'Succeeded', finishedAt, sizeBytes: result?.sizeBytes ?? null,
        durationMs: result?.durationSeconds !== undefined ? result.durationSeconds * 1000 : finishedAt.getTime() - startedAt.getTime(),
        expiresAt: new Date(startedAt.getTime() + keepDays * DAY_MS), errorStep: null, errorReason: null,
      });
      timeline.record(row.id, PLATFORM_STEPS.backup, 'succeeded',
        `Backup ${id} complete${done.sizeBytes !== null ? ` (${done.sizeBytes} bytes)` : ''}`, { durationMs: finishedAt.getTime() - startedAt.getTime() });
      log.info({ sizeBytes: done.sizeBytes }, 'Backup complete');
      this.#d.bus.emit('backup', done); // the Job and its pod's logs stay until the Job's TTL
    } catch (err) {
      if (this.#shutdown.signal.aborted) return; // left Running: the next start resumes it
      const reason = err instanceof RunFailure ? err.message : messageOf(err);
      const failStep = err instanceof RunFailure ? err.step : step;
      const done = backups.update(id, { status: 'Failed', finishedAt: new Date(), durationMs: Date.now() - startedAt.getTime(), errorStep: failStep, errorReason: reason });
      timeline.record(row.id, PLATFORM_STEPS.backup, 'failed', `Backup ${id} failed at ${failStep}: ${reason}`, { durationMs: Date.now() - startedAt.getTime() });
      log.warn({ step: failStep, reason }, 'Backup failed');
      this.#d.bus.emit('backup', done);
    }
  }

  /** The app workloads a restore stops (the engine's seam), as they exist for the store's plan. */
  #appWorkloads(row: StoreRow): WorkloadRef[] {
    const components = componentsOfRow(row);
    const namespace = identityOf(row).namespace;
    return engineOfRow(row).backup.appComponents.flatMap((key) => {
      const c = components[key];
      return c ? [{ namespace, kind: c.kind, name: c.name }] : [];
    });
  }

  /**
   * Suspends or resumes the store's CronJobs (WooCommerce's `wp-cron`), so no scheduled run meets a
   * database half restored; answers their names.
   */
  async #setCronJobs(row: StoreRow, suspend: boolean, call: CallOptions): Promise<string[]> {
    const namespace = identityOf(row).namespace;
    const names = cronJobsOf(this.#d.desired(row));
    await Promise.all(names.map((name) => setCronJobSuspended(this.#d.kube, { namespace, name, suspend }, call)));
    return names;
  }

  async #scaleDown(row: StoreRow, apps: readonly WorkloadRef[], call: CallOptions, deadline: number): Promise<void> {
    for (const w of apps) {
      const scale = await readScale(this.#d.kube, w, call);
      if (!scale) continue;
      // the replicas before the first scale-down stay recorded, so a resumed restore puts back the right number
      const before = scale.annotations[REPLICAS_BEFORE_RESTORE] ?? String(scale.replicas);
      await scaleWorkload(this.#d.kube, { ...w, replicas: 0, annotations: { [REPLICAS_BEFORE_RESTORE]: before }, fieldManager: FIELD_MANAGER }, call);
    }
    for (const w of apps) {
      for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
        const left = await podNames(this.#d.kube, { namespace: w.namespace, labelSelector: `${STORE_ID_LABEL}=${row.slug},${NAME_LABEL}=${w.name}` }, call);
        if (left.length === 0) break;
        if (Date.now() + delay > deadline) throw new RunFailure('scale-down', `${w.kind} ${w.name} still has pods: ${left.join(', ')}`);
        await sleep(delay, this.#shutdown.signal);
      }
    }
  }

  async #scaleUp(apps: readonly WorkloadRef[], call: CallOptions, deadline: number): Promise<void> {
    const wanted: [WorkloadRef, number][] = [];
    for (const w of apps) {
      const scale = await readScale(this.#d.kube, w, call);
      if (!scale) continue;
      const replicas = Number(scale.annotations[REPLICAS_BEFORE_RESTORE] ?? scale.replicas) || 1;
      await scaleWorkload(this.#d.kube, { ...w, replicas, annotations: { [REPLICAS_BEFORE_RESTORE]: null }, fieldManager: FIELD_MANAGER }, call);
      wanted.push([w, replicas]);
    }
    for (const [w, replicas] of wanted) {
      for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
        const scale = await readScale(this.#d.kube, w, call);
        if ((scale?.readyReplicas ?? 0) >= replicas) break;
        if (Date.now() + delay > deadline) throw new RunFailure('scale-up', `${w.kind} ${w.name}: ${scale?.readyReplicas ?? 0} of ${replicas} replicas ready`);
        await sleep(delay, this.#shutdown.signal);
      }
    }
  }

  /** Runs one of the store's steps again (its Jobs are replaced), e.g. the store check: Ready means the store takes orders. */
  async #rerun(row: StoreRow, name: string, at: RunStep, call: CallOptions): Promise<void> {
    const step = this.#d.desired(row).steps.find((s) => s.name === name);
    if (!step) throw new RunFailure(at, `engine '${row.engine}' has no step '${name}'`);
    const { owner } = identityOf(row);
    for (const obj of step.objects) {
      if (obj.kind !== 'Job') continue;
      const ref = { namespace: obj.metadata.namespace ?? identityOf(row).namespace, name: obj.metadata.name };
      await deleteJob(this.#d.kube, ref, call);
      for (let i = 0; (await readJobRun(this.#d.kube, ref, call)).state !== 'absent'; i++) {
        if (i > 100) throw new RunFailure(at, `Job ${ref.name} is not gone`);
        await sleep(200, this.#shutdown.signal);
      }
    }
    for (const obj of step.objects) {
      await withRetry(() => (obj.kind === 'Job' ? createIfAbsent(this.#d.kube.objects, obj, owner) : ensureObject(this.#d.kube.objects, obj, owner, 'apply')), call);
    }
    const timeoutSeconds = step.timeoutSeconds;
    await waitForReady(this.#d.kube.objects, step, {
      deadline: Date.now() + timeoutSeconds * 1000, timeoutSeconds, signal: this.#shutdown.signal, retry: this.#d.retry,
    }).catch((err: unknown) => {
      throw new RunFailure(at, messageOf(err));
    });
  }

  /**
   * After the backup a store is made from is in it: the engine's adopt steps (its setup, which rewrites the
   * other store's URLs and settings), then this store's own admin password (its Secret's) applied to the data.
   */
  async #adopt(row: StoreRow, restoreId: string, call: CallOptions): Promise<void> {
    const engine = engineOfRow(row);
    for (const name of engine.adoptSteps) await this.#rerun(row, name, 'adopt', call);
    const jobName = `${engine.resetJobPrefix}${restoreId}`;
    const job = engine.resetPasswordJob(row.slug, { spec: specOf(row), platform: this.#d.platform, jobName });
    const namespace = identityOf(row).namespace;
    await withRetry(() => createIfAbsent(this.#d.kube.objects, job, identityOf(row).owner), call);
    const run = await this.#waitJob({ namespace, name: jobName }, call, Date.now() + ADOPT_PASSWORD_TIMEOUT_MS);
    if (run.state !== 'succeeded') throw new RunFailure('adopt', `applying the store's admin password failed: ${failureOf(run)}`);
  }

  async #runRestore(id: string, resumed: boolean): Promise<void> {
    const { backups, timeline, stores, status } = this.#d;
    const settings = this.#settings();
    const r = backups.findRestore(id);
    if (!r) return;
    const b = backups.get(r.backupId);
    const row = stores.get(r.storeId);
    const log = this.#d.log.child({ storeId: row.id, restoreId: id, backupId: b.id });
    const startedAt = r.startedAt ?? new Date();
    const wait = (this.#d.workloadTimeoutSeconds ?? 300) * 1000;
    const deadline = startedAt.getTime() + (BACKUP_JOB_DEADLINE_SECONDS + 900) * 1000;
    if (row.status !== 'Restoring') {
      backups.updateRestore(id, { status: 'Failed', finishedAt: new Date(), errorStep: r.step ?? 'scale-down', errorReason: `the store is ${row.status}, not Restoring` });
      return;
    }
    const call = this.#call(row.id, PLATFORM_STEPS.restore, deadline);
    // the store is made from this backup (a clone): another store's repository, and never "as it was"
    const seeding = row.sourceBackupId === b.id;
    const source = b.slug !== row.slug ? b.slug : undefined;
    const apps = this.#appWorkloads(row);
    const namespace = identityOf(row).namespace;
    let step: RunStep = 'scale-down';
    const at = (s: RunStep) => {
      step = s;
      backups.updateRestore(id, { step: s });
    };
    backups.updateRestore(id, { status: 'Running', startedAt, step });
    timeline.record(row.id, PLATFORM_STEPS.restore, 'started', resumed
      ? `Restore ${id} of backup ${b.id} resumed after an engine restart`
      : `Restoring backup ${b.id} (${b.kind}, taken ${b.startedAt?.toISOString() ?? 'at an unknown time'}): scaling ${apps.map((w) => w.name).join(', ')} down`);
    try {
      const crons = await this.#setCronJobs(row, true, call);
      await this.#scaleDown(row, apps, call, Date.now() + wait);
      const down = [...apps.map((w) => w.name), ...crons.map((n) => `CronJob ${n} suspended`)].join(', ');
      timeline.record(row.id, PLATFORM_STEPS.restore, 'info', `App scaled down (${down}); restoring the database${row.engine === 'woocommerce' ? ' and files' : ''}`);
      at('restore');
      await ensureRepositorySecrets(this.#d.kube, settings, row.slug, call);
      if (source !== undefined) {
        await ensureSourceSecret(this.#d.kube, settings, source, row.slug, call).catch((err: unknown) => {
          throw new RunFailure('restore', messageOf(err), true);
        });
      }
      // an earlier restore of the same backup left its Job (Jobs are immutable): a new restore starts clean
      const jobRef = { namespace, name: `${BACKUP_NAMES.restoreJobPrefix}${b.id}` };
      if (!resumed && (await readJobRun(this.#d.kube, jobRef, call)).state !== 'absent') {
        await deleteJob(this.#d.kube, jobRef, call);
        for (let i = 0; (await readJobRun(this.#d.kube, jobRef, call)).state !== 'absent'; i++) {
          if (i > 100) throw new RunFailure('restore', `the previous Job ${jobRef.name} is not gone`, true);
          await sleep(200, this.#shutdown.signal);
        }
      }
      await this.#applyRun(row, engineOfRow(row).backup.restoreObjects(row.slug, {
        spec: specOf(row), platform: this.#d.platform, target: settings.target, backupId: b.id, ...(source !== undefined ? { source } : {}),
      }), call);
      const run = await this.#waitJob({ namespace, name: `${BACKUP_NAMES.restoreJobPrefix}${b.id}` }, call, deadline);
      if (run.state !== 'succeeded') {
        const reason = failureOf(run);
        throw new RunFailure('restore', reason, restoreLeftStoreAsItWas(reason));
      }
      // a later restore of the same backup needs its Job name again
      await deleteJob(this.#d.kube, { namespace, name: `${BACKUP_NAMES.restoreJobPrefix}${b.id}` }, call);
      if (source !== undefined) await dropSourceSecret(this.#d.kube, row.slug, call);
      at('scale-up');
      await this.#scaleUp(apps, call, Date.now() + wait);
      await this.#setCronJobs(row, false, call);
      if (seeding) {
        // also under the backed-up store's own name: the data holds that store's admin password, not this one's
        at('adopt');
        timeline.record(row.id, PLATFORM_STEPS.restore, 'info', `Data of store ${b.slug} restored; making it this store's (${engineOfRow(row).adoptSteps.join(', ')}, admin password)`);
        await this.#adopt(row, id, call);
      }
      at('check');
      await this.#rerun(row, engineOfRow(row).checkStep, 'check', call);
      const finishedAt = new Date();
      backups.updateRestore(id, { status: 'Succeeded', finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime() });
      // a store made from the backup is Ready for the first time here
      const first = row.readyAt === null ? { readyAt: finishedAt, observedGeneration: row.generation, failedStep: null } : {};
      // a failed upgrade's rollback says so on the Ready store, for the merchant and the rollout
      const rolledBack = row.statusReason?.startsWith(ROLLBACK_REASON) ? `${row.statusReason.replace(/: restoring backup \S+$/, '')}; its pre-upgrade backup ${b.id} is restored` : null;
      status.transition(row.id, 'Ready', { statusReason: rolledBack, ...first }, {
        step: PLATFORM_STEPS.restore, phase: 'succeeded', durationMs: finishedAt.getTime() - startedAt.getTime(),
        message: seeding ? `Store made from backup ${b.id} of store ${b.slug}; the store check passed` : `Backup ${b.id} restored; the store check passed`,
      });
      log.info('Restore complete');
    } catch (err) {
      if (this.#shutdown.signal.aborted) return; // still Restoring: the next start resumes it
      const failure = err instanceof RunFailure ? err : new RunFailure(step, messageOf(err));
      const finishedAt = new Date();
      const durationMs = finishedAt.getTime() - startedAt.getTime();
      backups.updateRestore(id, { status: 'Failed', finishedAt, durationMs, step: failure.step, errorStep: failure.step, errorReason: failure.message });
      log.warn({ step: failure.step, reason: failure.message }, 'Restore failed');
      // a Failed store's retry re-applies only what is absent: its CronJobs must not stay suspended
      await this.#setCronJobs(row, false, call).catch((resumeErr: unknown) => log.warn({ err: resumeErr }, 'Could not resume the CronJobs'));
      if (source !== undefined) await dropSourceSecret(this.#d.kube, row.slug, call).catch((dropErr: unknown) => log.warn({ err: dropErr }, 'Could not delete the source Secret'));
      // a store made from the backup has no state of its own to go back to: it fails, and a retry restores again
      if (!seeding && (failure.untouched || failure.step === 'scale-down')) {
        // nothing of the store was written: bring the app back and leave the store as it was
        await this.#dropRestoreJob(namespace, b.id, call, log);
        try {
          await this.#scaleUp(apps, call, Date.now() + wait);
          status.transition(row.id, 'Ready', { statusReason: null }, {
            step: PLATFORM_STEPS.restore, phase: 'failed', durationMs,
            message: `Restore of backup ${b.id} failed at ${failure.step} before changing anything: ${failure.message}; the store is as it was`,
          });
          return;
        } catch (upErr) {
          failure.message = `${failure.message}; bringing the app back also failed: ${messageOf(upErr)}`;
        }
      }
      status.transition(row.id, 'Failed', { failedStep: PLATFORM_STEPS.restore, statusReason: `Restore of backup ${b.id} failed at ${failure.step}: ${failure.message}` }, {
        step: PLATFORM_STEPS.restore, phase: 'failed', durationMs,
        message: `Restore of backup ${b.id} failed at ${failure.step}: ${failure.message}`,
      });
    }
  }

  /** Removes a finished restore Job, so the same backup can be restored again; a failure is logged (the next restore's Job would then be the old one). */
  async #dropRestoreJob(namespace: string, backupId: string, call: CallOptions, log: Logger): Promise<void> {
    await deleteJob(this.#d.kube, { namespace, name: `${BACKUP_NAMES.restoreJobPrefix}${backupId}` }, call)
      .catch((err: unknown) => log.warn({ err }, 'Could not delete the restore Job'));
  }
}

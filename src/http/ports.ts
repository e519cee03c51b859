import type { z } from 'zod';
import type { BackupRow, RestoreRow } from '../db/repos/backups-repo.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import type { RolloutRow, RolloutStoreRow } from '../db/repos/rollouts-repo.js';
import type { RolloutRequest } from '../provisioner/rollouts.js';
import type { StoreBus } from '../provisioner/bus.js';
import type { AdminCredentials, CreateStoreInput, NewStoreInput, PasswordReset, RestartResult, StoreHealth, StoreLogs } from './schemas/stores.js';

// one StoreRow and one StoreEventRow: the repositories' own
export type { StoreRow } from '../db/repos/stores-repo.js';
export type { StoreEventRow } from '../db/repos/events-repo.js';

/**
 * What the HTTP layer needs from the provisioning engine (src/provisioner). main.ts hands the real
 * Provisioner; unit tests hand a fake. Reads of rows go to SQLite directly (src/http/queries.ts).
 */
export interface ProvisionerPort {
  /**
   * Inserts the store as Pending and queues it; throws StoreNameTakenError for a live name,
   * StoreLimitReachedError at MAX_STORES, EngineUnavailableError for an engine not built yet, and
   * PlanNotAllowedError, EngineNotAllowedError or OwnerLimitReachedError from the owner's allowance.
   * `onInsert` runs inside the insert's transaction: if it throws, no store is inserted.
   */
  create(spec: NewStoreInput, opts: { actor: string; ownerId: string; onInsert?: (row: StoreRow) => void }): Promise<StoreRow>;
  /** Marks the store Deleting and queues the teardown (after a final backup unless skipped or backups are off). */
  delete(id: string, opts: { actor: string; skipFinalBackup?: boolean; purgeNow?: boolean }): Promise<StoreRow>;
  /** A soft-deleted store back to what it was (Resuming to Ready, or Suspended) before its purge time. */
  undelete(id: string, opts: { actor: string }): Promise<StoreRow>;
  /** Queues an on-demand backup of a Ready store; BACKUPS_NOT_CONFIGURED, STORE_NOT_READY, BACKUP_IN_PROGRESS. */
  backup(id: string, opts: { actor: string }): Promise<BackupRow>;
  /** Restores one of the store's own backups (maintenance: Restoring); refusals as in BackupRunner.requestRestore. */
  restore(id: string, backupId: string, opts: { actor: string }): Promise<RestoreRow>;
  /**
   * A new store made from a Succeeded backup (a clone, or a deleted store brought back): created like any
   * store, then the backup restored into it before it is Ready; create's refusals and the backup's.
   */
  createFromBackup(backupId: string, spec: NewStoreInput, opts: { actor: string; ownerId: string }): Promise<StoreRow>;
  /** Whether a backup target is configured (BACKUPS_NOT_CONFIGURED comes before any other refusal). */
  readonly backupsEnabled: boolean;
  /** Failed -> Pending, resuming at the failed step (or the delete, suspend or resume that failed, again). */
  retry(id: string, opts: { actor: string }): Promise<StoreRow>;
  /** Ready -> Suspending; the engine then scales the store to zero behind a maintenance page. IllegalTransitionError otherwise. */
  suspend(id: string, opts: { actor: string }): Promise<StoreRow>;
  /** Suspended -> Resuming; the engine brings the store back and runs its check before Ready. IllegalTransitionError otherwise. */
  resume(id: string, opts: { actor: string }): Promise<StoreRow>;
  /** Ready -> Upgrading to another release of its engine (a pre-upgrade backup first unless skipped); VERSION_NOT_ALLOWED, ILLEGAL_TRANSITION. */
  upgrade(id: string, version: string, opts: { actor: string; skipBackup?: boolean }): Promise<StoreRow>;
  /** Ready -> Provisioning on the new plan; every step is server-side applied again. */
  changePlan(id: string, plan: CreateStoreInput['plan'], opts: { actor: string }): Promise<StoreRow>;
  restart(id: string, component: string | undefined): Promise<z.infer<typeof RestartResult>>;
  resetAdminPassword(id: string): Promise<z.infer<typeof PasswordReset>>;
  health(id: string): Promise<z.infer<typeof StoreHealth>>;
  logs(id: string, opts: { component: string | undefined; tail: number }): Promise<z.infer<typeof StoreLogs>>;
  credentials(id: string): Promise<z.infer<typeof AdminCredentials>>;
  /** Starts a fleet rollout; VERSION_NOT_ALLOWED, NO_STORES_SELECTED, ROLLOUT_CONFLICT. */
  startRollout(req: RolloutRequest, actor: string): RolloutRow;
  rollout(id: string): { rollout: RolloutRow; stores: RolloutStoreRow[] };
  listRollouts(limit: number): RolloutRow[];
  /** Pause, resume or abort; ILLEGAL_TRANSITION when the rollout's status does not allow it. */
  rolloutAction(id: string, action: 'pause' | 'resume' | 'abort', actor: string): RolloutRow;
  queueDepth(): number;
  /** The release a store runs (its engine's base release for a store made before releases were recorded). */
  releaseOf(row: Pick<StoreRow, 'engine' | 'release'>): string;
  /** 1-based position in the queue, undefined when not queued. */
  queuePosition(id: string): number | undefined;
  /** 'event' (StoreEventRow) for every timeline entry, 'store' (StoreRow) for every status change. */
  readonly bus: StoreBus;
}

/** Probes /readyz runs. */
export interface ReadinessPort {
  /** Resolves when the Kubernetes API server reports itself ready within `timeoutMs`; rejects otherwise (by then). */
  pingKubernetes(timeoutMs: number): Promise<void>;
}

export interface AuditRecord {
  readonly actor: string;
  /** The owner the action was for; undefined for platform-wide actions. */
  readonly ownerId?: string | undefined;
  readonly action: string;
  readonly target: string;
  readonly outcome: 'success' | 'replay' | 'failure' | 'denied';
  readonly requestId?: string;
  readonly ip?: string;
  readonly detail?: string;
}

export interface AuditPort {
  record(entry: AuditRecord): void;
}

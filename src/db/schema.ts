import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { StoreCondition } from '../provisioner/conditions.js';

// The platform's whole persistent state. No secret is ever stored here: store credentials
// live only in Kubernetes Secrets and API keys only as hashes.

/** The owner every store and owner key belonged to before tenancy (and the one an admin creates for by default). */
export const DEFAULT_OWNER_ID = 'default';

/**
 * A tenant: owns stores and API keys. Allowances and limits are null when unlimited; the quota limits
 * add up the plan table's ResourceQuota requests of the owner's live stores.
 */
export const owners = sqliteTable('owners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Plans the owner may use; null: every plan. */
  allowedPlans: text('allowed_plans', { mode: 'json' }).$type<string[]>(),
  /** Engines the owner may use; null: every engine in the registry. */
  allowedEngines: text('allowed_engines', { mode: 'json' }).$type<string[]>(),
  /** Live (not Deleted) stores at once. */
  maxStores: integer('max_stores'),
  /** Sum of the plans' quota CPU requests over the live stores, in millicores. */
  maxCpuMillis: integer('max_cpu_millis'),
  /** Sum of the plans' quota memory requests over the live stores, in MiB. */
  maxMemoryMiB: integer('max_memory_mib'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const STORE_STATUSES = ['Pending', 'Provisioning', 'Ready', 'Upgrading', 'Restoring', 'Suspending', 'Suspended', 'Resuming', 'Failed', 'Deleting', 'Deleted'] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];

export const stores = sqliteTable(
  'stores',
  {
    id: text('id').primaryKey(),
    /**
     * The tenant; every route scopes by it. No REFERENCES: SQLite cannot add a foreign-key column with a
     * non-null default to an existing table; deleting an owner that still has stores is refused instead.
     */
    ownerId: text('owner_id').notNull().default(DEFAULT_OWNER_ID),
    /** RFC 1123 label; the namespace is store-<slug>. Reusable once the store is Deleted. */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    engine: text('engine').notNull(),
    plan: text('plan').notNull(),
    adminEmail: text('admin_email').notNull(),
    customDomain: text('custom_domain'),
    /** The effective host (custom domain, else `<slug>.<BASE_DOMAIN>`); unique among live stores. */
    host: text('host'),
    currency: text('currency').notNull(),
    status: text('status', { enum: STORE_STATUSES }).notNull(),
    statusReason: text('status_reason'),
    /** The step that failed, when status is Failed. */
    failedStep: text('failed_step'),
    storeUrl: text('store_url').notNull(),
    adminUrl: text('admin_url').notNull(),
    /** Tear the store down automatically if provisioning fails. */
    teardownOnFailure: integer('teardown_on_failure', { mode: 'boolean' }).notNull().default(false),
    /** Bumped on every spec change; observedGeneration catches up when a reconcile completes. */
    generation: integer('generation').notNull().default(1),
    observedGeneration: integer('observed_generation').notNull().default(0),
    /** Optimistic lock: every update must name the version it read. */
    version: integer('version').notNull().default(1),
    createdBy: text('created_by'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    readyAt: integer('ready_at', { mode: 'timestamp_ms' }),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
    /** The backup a delete waits for before it removes the namespace; null when none is taken. */
    finalBackupId: text('final_backup_id'),
    /**
     * The database server family the store was created with, kept for its life (WooCommerce: mariadb or
     * mysql); null for an engine without a choice, and for a store made before it was recorded until its
     * next reconcile reads it from the running server.
     */
    databaseServer: text('database_server'),
    /**
     * The backup (of another store, or of a deleted one) this store was made from: its first restore
     * follows its provisioning, and it is Ready only once that restore and its check passed.
     */
    sourceBackupId: text('source_backup_id'),
    /**
     * A soft-deleted store (Deleting, parked behind its maintenance page) is purged at this time and may be
     * undeleted until then; null: the delete purges as soon as it can.
     */
    purgeAt: integer('purge_at', { mode: 'timestamp_ms' }),
    /** What an undelete brings the store back to (Ready or Suspended); null unless soft-deleted. */
    undeleteTo: text('undelete_to', { enum: ['Ready', 'Suspended'] }),
    /**
     * The engine release the store runs (constructs/releases.ts), set at creation and by an upgrade; null for
     * a store made before releases were recorded: it runs its engine's base release.
     */
    release: text('release'),
    /** While Upgrading: the release the store is leaving, which a failed upgrade rolls back to; null otherwise. */
    upgradeFrom: text('upgrade_from'),
    /** While Upgrading: the pre-upgrade backup the upgrade waits for and a rollback restores; null when none is taken. */
    upgradeBackupId: text('upgrade_backup_id'),
    /**
     * The step conditions folded from the timeline (provisioner/conditions.ts), kept by every timeline
     * write in its transaction, so a view reads no timeline; null for a store from before they were
     * stored until its first view or timeline write folds them.
     */
    stepConditions: text('step_conditions', { mode: 'json' }).$type<readonly StoreCondition[]>(),
  },
  (t) => [
    // a live store owns its name; a Deleted one gives it back
    uniqueIndex('stores_live_slug').on(t.slug).where(sql`status <> 'Deleted'`),
    // one live store per host, so no store can serve (and take the logins of) another's storefront
    uniqueIndex('stores_live_host').on(t.host).where(sql`status <> 'Deleted'`),
    index('stores_status_created').on(t.status, t.createdAt),
    index('stores_created').on(t.createdAt, t.id),
    index('stores_owner_created').on(t.ownerId, t.createdAt, t.id),
  ],
);

export const EVENT_PHASES = ['started', 'succeeded', 'failed', 'retrying', 'info'] as const;
export type EventPhase = (typeof EVENT_PHASES)[number];

export const storeEvents = sqliteTable(
  'store_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull().references(() => stores.id),
    step: text('step').notNull(),
    phase: text('phase', { enum: EVENT_PHASES }).notNull(),
    message: text('message').notNull().default(''),
    durationMs: integer('duration_ms'),
    attempt: integer('attempt').notNull().default(1),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    /** Identical retries in a row collapse into one row: how many it stands for. */
    count: integer('count').notNull().default(1),
    /** When the latest of them happened; null while the row stands for one. */
    lastAt: integer('last_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('store_events_store').on(t.storeId, t.id)],
);

/** `replay`: an idempotent retry answered with the stored response (no second store). */
export const AUDIT_OUTCOMES = ['success', 'replay', 'failure', 'denied'] as const;

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** API key id, or `system` for the platform itself. */
    actor: text('actor').notNull(),
    /** The owner the action was for (the caller's, or the store's); null for platform-wide actions. */
    ownerId: text('owner_id'),
    action: text('action').notNull(),
    target: text('target').notNull(),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    requestId: text('request_id'),
    ip: text('ip'),
    detail: text('detail'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('audit_log_at').on(t.at, t.id), index('audit_log_owner').on(t.ownerId, t.id)],
);

/** `admin`: the platform, every owner. `owner`: an owner's stores and keys. `viewer`: reads an owner's stores. */
export const API_KEY_ROLES = ['admin', 'owner', 'viewer'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: API_KEY_ROLES }).notNull(),
  /** The owner of an owner or viewer key; null for platform admin keys. */
  ownerId: text('owner_id').references(() => owners.id),
  /** SHA-256 of the key; the key itself is shown once at creation. */
  hash: text('hash').notNull().unique(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
  revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
});

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    actor: text('actor').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the request body: the same key with another body is refused. */
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    response: text('response', { mode: 'json' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.actor, t.key] })],
);

/** Why a backup was taken. */
export const BACKUP_KINDS = ['on-demand', 'scheduled', 'final', 'pre-upgrade'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];
/** A backup or restore run: queued, its Job running, done, or failed (with the step and reason). */
export const RUN_STATUSES = ['Pending', 'Running', 'Succeeded', 'Failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * One backup of a store: what the platform knows of it (the data and its manifest are in the store's
 * restic repository). Kept after the store is Deleted, so its final backup stays listed and restorable.
 */
export const backups = sqliteTable(
  'backups',
  {
    /** Lowercase letters, digits and dashes; names the Job `backup-<id>` and tags the snapshots. */
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull().references(() => stores.id),
    /** The store's name when it was taken: the repository is `stores/<slug>`. */
    slug: text('slug').notNull(),
    engine: text('engine').notNull(),
    kind: text('kind', { enum: BACKUP_KINDS }).notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    /** Bytes of the dump plus the files, from the Job's result. */
    sizeBytes: integer('size_bytes'),
    durationMs: integer('duration_ms'),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    /** The earliest retention may forget it (the plan's daily snapshots). */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    errorStep: text('error_step'),
    errorReason: text('error_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('backups_store_created').on(t.storeId, t.createdAt, t.id),
    index('backups_status').on(t.status),
  ],
);

/** One restore of a backup into a store. */
export const restores = sqliteTable(
  'restores',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull().references(() => stores.id),
    backupId: text('backup_id').notNull().references(() => backups.id),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    /** The step it is at (or failed at): scale-down, restore, scale-up, check. */
    step: text('step'),
    durationMs: integer('duration_ms'),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    errorStep: text('error_step'),
    errorReason: text('error_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('restores_store_created').on(t.storeId, t.createdAt, t.id)],
);

/**
 * A fleet rollout's lifecycle: Running (waves in turn), Paused (by an admin), Halted (its failure budget
 * spent), Aborted, or Succeeded. Paused and Halted resume; Aborted and Succeeded are final.
 */
export const ROLLOUT_STATUSES = ['Running', 'Paused', 'Halted', 'Aborted', 'Succeeded'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
/**
 * One store in a rollout: waiting for its wave, upgrading, upgraded, rolled back or failed (both count
 * against the failure budget), or skipped (not Ready when its wave came, no upgrade path, or aborted).
 */
export const ROLLOUT_STORE_STATUSES = ['Pending', 'Upgrading', 'Succeeded', 'RolledBack', 'Failed', 'Skipped'] as const;
export type RolloutStoreStatus = (typeof ROLLOUT_STORE_STATUSES)[number];

/** A fleet upgrade: every store its selector picked, moved to one release in waves. */
export const rollouts = sqliteTable(
  'rollouts',
  {
    id: text('id').primaryKey(),
    engine: text('engine').notNull(),
    version: text('version').notNull(),
    /** What picked the stores (plan, owner, version), as asked. */
    selector: text('selector', { mode: 'json' }).$type<{ plan?: string; ownerId?: string; fromVersion?: string }>().notNull(),
    /** Stores per wave, in order (the first is the canary). */
    waveSizes: text('wave_sizes', { mode: 'json' }).$type<number[]>().notNull(),
    maxFailures: integer('max_failures').notNull(),
    pauseSeconds: integer('pause_seconds').notNull(),
    status: text('status', { enum: ROLLOUT_STATUSES }).notNull(),
    statusReason: text('status_reason'),
    /** The wave under way (0-based). */
    wave: integer('wave').notNull().default(0),
    /** The next wave starts no earlier than this (the pause between waves). */
    nextWaveAt: integer('next_wave_at', { mode: 'timestamp_ms' }),
    /** Failures a resume forgave: the budget counts those after it. */
    failuresForgiven: integer('failures_forgiven').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('rollouts_status').on(t.status), index('rollouts_created').on(t.createdAt, t.id)],
);

/** Each store of a rollout, in its wave. */
export const rolloutStores = sqliteTable(
  'rollout_stores',
  {
    rolloutId: text('rollout_id').notNull().references(() => rollouts.id),
    storeId: text('store_id').notNull().references(() => stores.id),
    wave: integer('wave').notNull(),
    /** Its place in the rollout (the order waves take stores in). */
    position: integer('position').notNull(),
    /** The release it ran when the rollout picked it. */
    fromVersion: text('from_version').notNull(),
    status: text('status', { enum: ROLLOUT_STORE_STATUSES }).notNull(),
    reason: text('reason'),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.rolloutId, t.storeId] }), index('rollout_stores_store').on(t.storeId, t.status)],
);

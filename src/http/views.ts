import type { z } from 'zod';
import { namespaceFor } from '../../constructs/index.js';
import type { BackupRow, RestoreRow } from '../db/repos/backups-repo.js';
import type { BackupView, RestoreView } from './schemas/backups.js';
import type { ApiKeyRow } from '../db/repos/api-keys-repo.js';
import type { OwnerRow } from '../db/repos/owners-repo.js';
import type { OwnerUsage } from '../provisioner/owner-limits.js';
import type { OwnerViewBody } from './schemas/owners.js';
import { componentsOfRow } from '../manifests/desired.js';
import { withReady, type StoreCondition } from '../provisioner/conditions.js';
import type { AuditRow } from './queries.js';
import type { ProvisionerPort, StoreEventRow, StoreRow } from './ports.js';
import type { StoreEventBody, StoreViewBody } from './schemas/stores.js';
import type { RolloutViewBody } from './schemas/rollouts.js';
import { FAILED_STORE_STATUSES, type RolloutRow, type RolloutStoreRow } from '../db/repos/rollouts-repo.js';
import { ROLLOUT_STORE_STATUSES } from '../db/schema.js';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The API's Store: the row, its queue position and its conditions (its stored step conditions `steps`, then Ready). */
export function storeView(row: StoreRow, provisioner: Pick<ProvisionerPort, 'queuePosition' | 'releaseOf'>, steps: readonly StoreCondition[]): StoreViewBody {
  return {
    id: row.id,
    ownerId: row.ownerId,
    name: row.slug,
    title: row.title,
    engine: row.engine,
    plan: row.plan,
    adminEmail: row.adminEmail,
    customDomain: row.customDomain,
    currency: row.currency,
    status: row.status,
    statusReason: row.statusReason,
    failedStep: row.failedStep,
    storeUrl: row.storeUrl,
    adminUrl: row.adminUrl,
    components: Object.keys(componentsOfRow(row)),
    namespace: namespaceFor(row.slug),
    teardownOnFailure: row.teardownOnFailure,
    generation: row.generation,
    observedGeneration: row.observedGeneration,
    queuePosition: provisioner.queuePosition(row.id) ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    readyAt: iso(row.readyAt),
    deletedAt: iso(row.deletedAt),
    purgeAt: iso(row.purgeAt),
    version: provisioner.releaseOf(row),
    upgradeFrom: row.upgradeFrom,
    sourceBackupId: row.sourceBackupId,
    conditions: withReady(row, steps),
  };
}

export function eventView(ev: StoreEventRow): StoreEventBody {
  return {
    id: ev.id,
    storeId: ev.storeId,
    step: ev.step,
    phase: ev.phase,
    message: ev.message,
    durationMs: ev.durationMs,
    attempt: ev.attempt,
    at: ev.at.toISOString(),
    count: ev.count,
    lastAt: ev.lastAt?.toISOString() ?? null,
  };
}

export function auditView(row: AuditRow) {
  return { ...row, at: row.at.toISOString() };
}

export function ownerView(row: OwnerRow, usage: OwnerUsage): OwnerViewBody {
  const { createdAt, updatedAt, ...rest } = row;
  return { ...rest, usage, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

export function apiKeyView(row: Omit<ApiKeyRow, 'hash'>) {
  return { ...row, createdAt: row.createdAt.toISOString(), lastUsedAt: iso(row.lastUsedAt), revokedAt: iso(row.revokedAt) };
}

/** The API's Backup: the row without its repository location. */
export function backupView(row: BackupRow): z.infer<typeof BackupView> {
  return {
    id: row.id, storeId: row.storeId, kind: row.kind, status: row.status, sizeBytes: row.sizeBytes, durationMs: row.durationMs,
    startedAt: iso(row.startedAt), finishedAt: iso(row.finishedAt), expiresAt: iso(row.expiresAt),
    errorStep: row.errorStep, errorReason: row.errorReason, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
  };
}

export function restoreView(row: RestoreRow): z.infer<typeof RestoreView> {
  return {
    id: row.id, storeId: row.storeId, backupId: row.backupId, status: row.status, step: row.step, durationMs: row.durationMs,
    startedAt: iso(row.startedAt), finishedAt: iso(row.finishedAt), errorStep: row.errorStep, errorReason: row.errorReason,
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
  };
}

/** The API's Rollout: the row, its stores counted by status, and (for one rollout) each store. */
export function rolloutView(row: RolloutRow, members: readonly RolloutStoreRow[], withStores: boolean): RolloutViewBody {
  const counts = Object.fromEntries(ROLLOUT_STORE_STATUSES.map((s) => [s, members.filter((m) => m.status === s).length])) as RolloutViewBody['counts'];
  return {
    id: row.id,
    engine: row.engine,
    version: row.version,
    selector: row.selector,
    waves: row.waveSizes,
    maxFailures: row.maxFailures,
    pauseSeconds: row.pauseSeconds,
    status: row.status,
    statusReason: row.statusReason,
    wave: row.wave + 1,
    nextWaveAt: iso(row.nextWaveAt),
    counts,
    failures: members.filter((m) => FAILED_STORE_STATUSES.includes(m.status)).length - row.failuresForgiven,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: iso(row.finishedAt),
    ...(withStores ? {
      stores: members.map((m) => ({
        storeId: m.storeId, wave: m.wave + 1, fromVersion: m.fromVersion, status: m.status, reason: m.reason, startedAt: iso(m.startedAt), finishedAt: iso(m.finishedAt),
      })),
    } : {}),
  };
}

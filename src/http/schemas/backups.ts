import { z } from 'zod';
import { StoreSpec } from '../../../constructs/index.js';
import { BACKUP_KINDS, RUN_STATUSES } from '../../db/schema.js';

export const BackupIdParams = z.object({
  id: z.string().min(1).max(100),
  backupId: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a backup id').max(48),
});

/** `/backups/:backupId/...`: a backup by its id alone (the store it came from may be Deleted). */
export const BackupOnlyParams = z.object({ backupId: BackupIdParams.shape.backupId });

/**
 * POST /backups/:backupId/restore body: the new store. Its engine is the backup's; the plan, the admin
 * email and the currency default to the backed-up store's, the title to the name in title case.
 */
export const NewStoreFromBackupBody = z
  .object({
    name: StoreSpec.shape.name,
    title: StoreSpec.shape.title.optional(),
    plan: StoreSpec.shape.plan.optional(),
    adminEmail: StoreSpec.shape.adminEmail.optional(),
    customDomain: StoreSpec.shape.customDomain,
    currency: StoreSpec.shape.currency.unwrap().optional(),
  })
  .strict()
  .meta({ id: 'NewStoreFromBackup' });

export const RunStatus = z.enum(RUN_STATUSES).meta({ id: 'RunStatus' });

export const BackupView = z
  .object({
    id: z.string().describe('Names the Job `backup-<id>` and tags the snapshots in the store\'s restic repository'),
    storeId: z.string(),
    kind: z.enum(BACKUP_KINDS).describe('on-demand (POST), scheduled, final (before a delete) or pre-upgrade'),
    status: RunStatus,
    sizeBytes: z.number().int().nullable().describe('The dump plus the files, as the backup script reported them'),
    durationMs: z.number().int().nullable(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable().describe('The earliest the plan\'s retention may forget it'),
    errorStep: z.string().nullable().describe('Where a failed backup failed: secrets, apply or backup'),
    errorReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Backup' });

export const BackupList = z.object({ items: z.array(BackupView) }).meta({ id: 'BackupList' });

export const RestoreBody = z
  .object({ backupId: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a backup id').max(48).describe('One of this store\'s Succeeded backups') })
  .strict()
  .meta({ id: 'RestoreRequest' });

export const RestoreView = z
  .object({
    id: z.string(),
    storeId: z.string(),
    backupId: z.string(),
    status: RunStatus,
    step: z.string().nullable().describe('scale-down, restore, scale-up or check'),
    durationMs: z.number().int().nullable(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    errorStep: z.string().nullable(),
    errorReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Restore' });

export const RestoreList = z.object({ items: z.array(RestoreView) }).meta({ id: 'RestoreList' });

export const DeleteStoreQuery = z.object({
  skipFinalBackup: z.enum(['true', 'false']).optional()
    .describe('true: delete without the final backup (admin keys only); default false when backups are configured'),
  purge: z.enum(['now']).optional()
    .describe('now: purge at once instead of keeping an undelete window (admin keys only); also purges a store already soft-deleted'),
});

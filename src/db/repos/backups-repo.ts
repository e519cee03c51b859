import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { backups, restores, type RunStatus } from '../schema.js';
import { NotFoundError } from '../../errors.js';

/** A backup as the platform records it (the data is in the store's restic repository). */
export type BackupRow = typeof backups.$inferSelect;
export type NewBackupRow = typeof backups.$inferInsert;
export type RestoreRow = typeof restores.$inferSelect;
export type NewRestoreRow = typeof restores.$inferInsert;

/** Fields a backup run updates as it goes. */
export type BackupPatch = Partial<Pick<BackupRow, 'status' | 'sizeBytes' | 'durationMs' | 'startedAt' | 'finishedAt' | 'expiresAt' | 'errorStep' | 'errorReason'>>;
export type RestorePatch = Partial<Pick<RestoreRow, 'status' | 'step' | 'durationMs' | 'startedAt' | 'finishedAt' | 'errorStep' | 'errorReason'>>;

const ACTIVE: RunStatus[] = ['Pending', 'Running'];

/** Backups and restores. Rows outlive their store: a Deleted store's final backup stays listed. */
export class BackupsRepo {
  public constructor(private readonly db: Db) {}

  /**
   * Inserts the backup unless the store has a backup or restore still Pending or Running (then
   * undefined): the check and the insert are one transaction, so two requests cannot both start one.
   */
  public insertUnlessBusy(row: NewBackupRow): BackupRow | undefined {
    return this.db.transaction(() => {
      if (this.activeRun(row.storeId) !== undefined) return undefined;
      return this.db.insert(backups).values(row).returning().get();
    }, { behavior: 'immediate' });
  }

  public find(id: string): BackupRow | undefined {
    return this.db.select().from(backups).where(eq(backups.id, id)).get();
  }

  public get(id: string): BackupRow {
    const row = this.find(id);
    if (!row) throw new NotFoundError(`backup '${id}' not found`);
    return row;
  }

  /** The store's backups, newest first. */
  public listByStore(storeId: string, limit = 100): BackupRow[] {
    return this.db.select().from(backups).where(eq(backups.storeId, storeId))
      .orderBy(desc(backups.createdAt), desc(backups.id)).limit(Math.max(1, Math.min(limit, 500))).all();
  }

  /** Backups still Pending or Running, oldest first (crash recovery). */
  public listActive(): BackupRow[] {
    return this.db.select().from(backups).where(inArray(backups.status, ACTIVE)).orderBy(backups.createdAt).all();
  }

  public update(id: string, patch: BackupPatch): BackupRow {
    const row = this.db.update(backups).set(patch).where(eq(backups.id, id)).returning().get();
    if (!row) throw new NotFoundError(`backup '${id}' not found`);
    return row;
  }

  /** What the store is busy with: a backup or restore Pending or Running; undefined when idle. */
  public activeRun(storeId: string): { kind: 'backup' | 'restore'; id: string } | undefined {
    const b = this.db.select({ id: backups.id }).from(backups).where(and(eq(backups.storeId, storeId), inArray(backups.status, ACTIVE))).get();
    if (b) return { kind: 'backup', id: b.id };
    const r = this.db.select({ id: restores.id }).from(restores).where(and(eq(restores.storeId, storeId), inArray(restores.status, ACTIVE))).get();
    return r ? { kind: 'restore', id: r.id } : undefined;
  }

  /** Inserts the restore unless the store is busy (see insertUnlessBusy). */
  public insertRestoreUnlessBusy(row: NewRestoreRow): RestoreRow | undefined {
    return this.db.transaction(() => {
      if (this.activeRun(row.storeId) !== undefined) return undefined;
      return this.db.insert(restores).values(row).returning().get();
    }, { behavior: 'immediate' });
  }

  public findRestore(id: string): RestoreRow | undefined {
    return this.db.select().from(restores).where(eq(restores.id, id)).get();
  }

  public listRestores(storeId: string, limit = 100): RestoreRow[] {
    return this.db.select().from(restores).where(eq(restores.storeId, storeId))
      .orderBy(desc(restores.createdAt), desc(restores.id)).limit(Math.max(1, Math.min(limit, 500))).all();
  }

  /** Whether the store holds this backup already: a restore of it into the store succeeded. */
  public restored(storeId: string, backupId: string): boolean {
    return this.db.select({ id: restores.id }).from(restores)
      .where(and(eq(restores.storeId, storeId), eq(restores.backupId, backupId), eq(restores.status, 'Succeeded'))).get() !== undefined;
  }

  public listActiveRestores(): RestoreRow[] {
    return this.db.select().from(restores).where(inArray(restores.status, ACTIVE)).orderBy(restores.createdAt).all();
  }

  public updateRestore(id: string, patch: RestorePatch): RestoreRow {
    const row = this.db.update(restores).set(patch).where(eq(restores.id, id)).returning().get();
    if (!row) throw new NotFoundError(`restore '${id}' not found`);
    return row;
  }

  /** Per store: when its latest backup succeeded (epoch ms), for /metrics. */
  public lastSuccessByStore(): { storeId: string; slug: string; at: number }[] {
    return this.db.select({ storeId: backups.storeId, slug: sql<string>`max(${backups.slug})`, at: sql<number>`max(${backups.finishedAt})` })
      .from(backups).where(eq(backups.status, 'Succeeded')).groupBy(backups.storeId).all();
  }

  /**
   * Per store with backups since `since`, what the scheduler decides on (epoch ms): the latest backup of
   * any kind that did not fail (Pending and Running count: one is on its way) and the latest failed
   * scheduled one. Older rows cannot decide anything, and leaving them out keeps the read short.
   */
  public scheduleState(since: Date): { storeId: string; lastTakenAt: number | null; lastFailedScheduledAt: number | null }[] {
    return this.db.select({
      storeId: backups.storeId,
      lastTakenAt: sql<number | null>`max(case when ${backups.status} <> 'Failed' then ${backups.createdAt} end)`,
      lastFailedScheduledAt: sql<number | null>`max(case when ${backups.status} = 'Failed' and ${backups.kind} = 'scheduled' then ${backups.createdAt} end)`,
    }).from(backups).where(gte(backups.createdAt, since)).groupBy(backups.storeId).all();
  }

  /** Scheduled backups still Pending or Running. */
  public countActiveScheduled(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(backups)
      .where(and(eq(backups.kind, 'scheduled'), inArray(backups.status, ACTIVE))).get()?.n ?? 0;
  }
}

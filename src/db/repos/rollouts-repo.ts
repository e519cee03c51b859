import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { rollouts, rolloutStores, type RolloutStatus, type RolloutStoreStatus } from '../schema.js';
import { NotFoundError } from '../../errors.js';

export type RolloutRow = typeof rollouts.$inferSelect;
export type NewRolloutRow = typeof rollouts.$inferInsert;
export type RolloutStoreRow = typeof rolloutStores.$inferSelect;
export type NewRolloutStoreRow = Omit<typeof rolloutStores.$inferInsert, 'rolloutId'>;
export type RolloutPatch = Partial<Pick<RolloutRow, 'status' | 'statusReason' | 'wave' | 'nextWaveAt' | 'failuresForgiven' | 'finishedAt'>>;
export type RolloutStorePatch = Partial<Pick<RolloutStoreRow, 'status' | 'reason' | 'startedAt' | 'finishedAt'>>;

/** Rollouts that may still change a store: their stores belong to no second rollout. */
export const OPEN_ROLLOUT_STATUSES: readonly RolloutStatus[] = ['Running', 'Paused', 'Halted'];
/** A store's rollout outcomes that spend the failure budget. */
export const FAILED_STORE_STATUSES: readonly RolloutStoreStatus[] = ['RolledBack', 'Failed'];

/** Rollouts and their stores. */
export class RolloutsRepo {
  public constructor(private readonly db: Db) {}

  /**
   * Inserts the rollout and its stores unless one of them is in an open rollout (then answers that
   * rollout's id): the check and the insert are one transaction.
   */
  public insertUnlessTaken(row: NewRolloutRow, members: readonly NewRolloutStoreRow[]): RolloutRow | { takenBy: string; storeId: string } {
    return this.db.transaction(() => {
      const ids = members.map((m) => m.storeId);
      if (ids.length > 0) {
        const taken = this.db.select({ rolloutId: rolloutStores.rolloutId, storeId: rolloutStores.storeId }).from(rolloutStores)
          .innerJoin(rollouts, eq(rollouts.id, rolloutStores.rolloutId))
          .where(and(inArray(rolloutStores.storeId, ids), inArray(rollouts.status, [...OPEN_ROLLOUT_STATUSES]))).get();
        if (taken) return { takenBy: taken.rolloutId, storeId: taken.storeId };
      }
      const inserted = this.db.insert(rollouts).values(row).returning().get();
      for (const m of members) this.db.insert(rolloutStores).values({ ...m, rolloutId: inserted.id }).run();
      return inserted;
    }, { behavior: 'immediate' });
  }

  public find(id: string): RolloutRow | undefined {
    return this.db.select().from(rollouts).where(eq(rollouts.id, id)).get();
  }

  public get(id: string): RolloutRow {
    const row = this.find(id);
    if (!row) throw new NotFoundError(`rollout '${id}' not found`);
    return row;
  }

  /** Newest first. */
  public list(limit = 100): RolloutRow[] {
    return this.db.select().from(rollouts).orderBy(desc(rollouts.createdAt), desc(rollouts.id)).limit(Math.max(1, Math.min(limit, 500))).all();
  }

  public listByStatus(statuses: readonly RolloutStatus[]): RolloutRow[] {
    return this.db.select().from(rollouts).where(inArray(rollouts.status, [...statuses])).orderBy(asc(rollouts.createdAt)).all();
  }

  /** The rollout's stores in wave order. */
  public stores(rolloutId: string): RolloutStoreRow[] {
    return this.db.select().from(rolloutStores).where(eq(rolloutStores.rolloutId, rolloutId)).orderBy(asc(rolloutStores.position)).all();
  }

  public update(id: string, patch: RolloutPatch): RolloutRow {
    const row = this.db.update(rollouts).set({ ...patch, updatedAt: new Date() }).where(eq(rollouts.id, id)).returning().get();
    if (!row) throw new NotFoundError(`rollout '${id}' not found`);
    return row;
  }

  public updateStore(rolloutId: string, storeId: string, patch: RolloutStorePatch): RolloutStoreRow {
    const row = this.db.update(rolloutStores).set(patch).where(and(eq(rolloutStores.rolloutId, rolloutId), eq(rolloutStores.storeId, storeId))).returning().get();
    if (!row) throw new NotFoundError(`store '${storeId}' is not in rollout '${rolloutId}'`);
    return row;
  }
}

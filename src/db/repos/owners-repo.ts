import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { apiKeys, owners, stores } from '../schema.js';

export type OwnerRow = typeof owners.$inferSelect;

/** What an owner may set: its name, allowances and limits (null: unlimited). */
export type OwnerFields = Pick<OwnerRow, 'name' | 'allowedPlans' | 'allowedEngines' | 'maxStores' | 'maxCpuMillis' | 'maxMemoryMiB'>;

/** Live (not Deleted) stores of one owner, per plan. */
export type PlanCounts = Readonly<Record<string, number>>;

/** Tenants. Deleting one that still has live stores is refused by the caller (see `liveStoresByPlan`). */
export class OwnersRepo {
  public constructor(private readonly db: Db) {}

  public insert(id: string, fields: OwnerFields, now: Date): OwnerRow {
    return this.db.insert(owners).values({ id, ...fields, createdAt: now, updatedAt: now }).returning().get();
  }

  public find(id: string): OwnerRow | undefined {
    return this.db.select().from(owners).where(eq(owners.id, id)).get();
  }

  public list(): OwnerRow[] {
    return this.db.select().from(owners).orderBy(owners.id).all();
  }

  public update(id: string, fields: Partial<OwnerFields>, now: Date): OwnerRow | undefined {
    return this.db.update(owners).set({ ...fields, updatedAt: now }).where(eq(owners.id, id)).returning().get();
  }

  /**
   * Removes an owner without live stores and revokes its keys, in one transaction (so a create racing
   * with it either lands first and blocks the delete, or finds no owner). Returns the live store count
   * when it refuses.
   */
  public delete(id: string, now: Date): { deleted: boolean; liveStores: number } {
    return this.db.transaction(() => {
      const liveStores = Object.values(this.liveStoresByPlan(id)).reduce((a, b) => a + b, 0);
      if (liveStores > 0) return { deleted: false, liveStores };
      this.db.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.ownerId, id), sql`${apiKeys.revokedAt} is null`)).run();
      // revoked keys keep their row (the audit log names them) but no longer point at the owner
      this.db.update(apiKeys).set({ ownerId: null }).where(eq(apiKeys.ownerId, id)).run();
      // Deleted stores keep their owner id: the record stays readable by admins
      return { deleted: this.db.delete(owners).where(eq(owners.id, id)).run().changes > 0, liveStores };
    }, { behavior: 'immediate' });
  }

  /** The owner's live stores counted per plan (what its quota limits add up). */
  public liveStoresByPlan(id: string): PlanCounts {
    const rows = this.db.select({ plan: stores.plan, n: sql<number>`count(*)` }).from(stores)
      .where(and(eq(stores.ownerId, id), ne(stores.status, 'Deleted'))).groupBy(stores.plan).all();
    return Object.fromEntries(rows.map((r) => [r.plan, r.n]));
  }

  /** Stores per owner and status (for /metrics). */
  public countByOwnerAndStatus(): { ownerId: string; status: string; n: number }[] {
    return this.db.select({ ownerId: stores.ownerId, status: stores.status, n: sql<number>`count(*)` }).from(stores)
      .groupBy(stores.ownerId, stores.status).all();
  }
}

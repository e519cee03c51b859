import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { apiKeys, type ApiKeyRole } from '../schema.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** API keys, stored as SHA-256 hashes only. */
export class ApiKeysRepo {
  readonly #db: Db;

  public constructor(db: Db) {
    this.#db = db;
  }

  public insert(row: { id: string; name: string; role: ApiKeyRole; ownerId: string | null; hash: string; now: Date }): ApiKeyRow {
    return this.#db
      .insert(apiKeys)
      .values({ id: row.id, name: row.name, role: row.role, ownerId: row.ownerId, hash: row.hash, createdAt: row.now })
      .returning()
      .get();
  }

  /** Creates or re-points a key with a fixed id (the bootstrap admin key follows its env value). */
  public upsert(row: { id: string; name: string; role: 'admin'; hash: string; now: Date }): void {
    this.#db
      .insert(apiKeys)
      .values({ id: row.id, name: row.name, role: row.role, hash: row.hash, createdAt: row.now })
      .onConflictDoUpdate({ target: apiKeys.id, set: { hash: row.hash, role: row.role, ownerId: null, revokedAt: null } })
      .run();
  }

  /** An active (not revoked) key by id. */
  public findActive(id: string): ApiKeyRow | undefined {
    return this.#db.select().from(apiKeys).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).get();
  }

  public touch(id: string, now: Date): void {
    this.#db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id)).run();
  }

  /** Revokes an active key; with `ownerId`, only one of that owner's keys. */
  public revoke(id: string, now: Date, ownerId?: string): boolean {
    const conds = [eq(apiKeys.id, id), isNull(apiKeys.revokedAt), ...(ownerId !== undefined ? [eq(apiKeys.ownerId, ownerId)] : [])];
    return this.#db.update(apiKeys).set({ revokedAt: now }).where(and(...conds)).run().changes > 0;
  }

  /** Every key (never a hash); with `ownerId`, only that owner's. */
  public list(ownerId?: string): Omit<ApiKeyRow, 'hash'>[] {
    return this.#db
      .select({
        id: apiKeys.id, name: apiKeys.name, role: apiKeys.role, ownerId: apiKeys.ownerId,
        createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(ownerId !== undefined ? eq(apiKeys.ownerId, ownerId) : undefined)
      .orderBy(apiKeys.createdAt, apiKeys.id)
      .all();
  }
}

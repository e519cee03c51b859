import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { idempotencyKeys } from '../schema.js';

export interface StoredResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: unknown;
  readonly createdAt: Date;
}

/** Responses remembered per (API key, Idempotency-Key) so a retried request gets the first answer. */
export class IdempotencyRepo {
  readonly #db: Db;

  public constructor(db: Db) {
    this.#db = db;
  }

  public find(actor: string, key: string): StoredResponse | undefined {
    return this.#db
      .select({ requestHash: idempotencyKeys.requestHash, statusCode: idempotencyKeys.statusCode, response: idempotencyKeys.response, createdAt: idempotencyKeys.createdAt })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.actor, actor), eq(idempotencyKeys.key, key)))
      .get();
  }

  /** Returns false when another request stored a response for the key first. */
  public save(actor: string, key: string, entry: Omit<StoredResponse, 'createdAt'>, now: Date): boolean {
    return this.#db
      .insert(idempotencyKeys)
      .values({ actor, key, requestHash: entry.requestHash, statusCode: entry.statusCode, response: entry.response, createdAt: now })
      .onConflictDoNothing()
      .run().changes > 0;
  }

  /** The answer actually sent replaces the one recorded inside the route's transaction. */
  public replaceAnswer(actor: string, key: string, entry: Omit<StoredResponse, 'createdAt'>): void {
    this.#db
      .update(idempotencyKeys)
      .set({ requestHash: entry.requestHash, statusCode: entry.statusCode, response: entry.response })
      .where(and(eq(idempotencyKeys.actor, actor), eq(idempotencyKeys.key, key)))
      .run();
  }

  public delete(actor: string, key: string): void {
    this.#db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.actor, actor), eq(idempotencyKeys.key, key))).run();
  }

  /** Purges answers stored before `cutoff` (the retention); returns how many. */
  public deleteOlderThan(cutoff: Date): number {
    return this.#db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).run().changes;
  }
}

import { and, asc, desc, eq, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { stores, type StoreStatus } from '../schema.js';
import { HostTakenError, NotFoundError, StaleWriteError, StoreLimitReachedError, StoreNameTakenError } from '../../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { InvalidCursorError } from './errors.js';

/** A store as the platform records it. Holds no secret: credentials live only in the store's Secrets. */
export type StoreRow = typeof stores.$inferSelect;
export type NewStoreRow = typeof stores.$inferInsert;

/** Fields a status change may set along with the status. */
export type StorePatch = Partial<Pick<StoreRow,
  'statusReason' | 'failedStep' | 'observedGeneration' | 'generation' | 'readyAt' | 'deletedAt' | 'teardownOnFailure' | 'plan' | 'finalBackupId' | 'databaseServer' | 'purgeAt' | 'undeleteTo' | 'release' | 'upgradeFrom' | 'upgradeBackupId'>>;

export interface ListStoresQuery {
  readonly status?: StoreStatus | readonly StoreStatus[];
  readonly cursor?: string;
  readonly limit: number;
  /** Only this owner's stores. @default - every owner's */
  readonly ownerId?: string | undefined;
}

export class StoresRepo {
  public constructor(private readonly db: Db) {}

  /** Inserts a new store; a live store with the same slug makes it StoreNameTakenError. */
  public insert(row: NewStoreRow): StoreRow {
    try {
      // a new store has no timeline yet (its events reference the row), so no step conditions either
      return this.db.insert(stores).values({ stepConditions: [], ...row }).returning().get();
    } catch (err) {
      if (isUniqueViolation(err) && String((err as Error).message).includes('stores.host')) {
        throw new HostTakenError(`a live store is already served on '${row.host ?? ''}'`, { cause: err });
      }
      if (isUniqueViolation(err)) {
        throw new StoreNameTakenError(`a store named '${row.slug}' already exists`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * Inserts a new store unless `maxLive` stores are live already (StoreLimitReachedError) or `guard`
   * throws (the owner's allowance and limits). Guard, count, insert and `after` (what must be committed
   * with the row, or not at all) run in one synchronous SQLite transaction, so concurrent creates cannot
   * both pass the checks.
   */
  public insertWithinLimit(row: NewStoreRow, maxLive: number, guard: () => void = () => undefined, after?: (row: StoreRow) => void): StoreRow {
    return this.db.transaction(() => {
      guard();
      const live = this.countLive();
      if (live >= maxLive) {
        throw new StoreLimitReachedError(`the platform runs ${live} stores, its limit (MAX_STORES) is ${maxLive}; delete a store first`);
      }
      // the name first: a second store of one name is STORE_NAME_TAKEN, though it would share the host too
      if (this.db.select({ id: stores.id }).from(stores).where(and(eq(stores.slug, row.slug), ne(stores.status, 'Deleted'))).get() !== undefined) {
        throw new StoreNameTakenError(`a store named '${row.slug}' already exists`);
      }
      if (row.host != null && this.db.select({ id: stores.id }).from(stores)
        .where(and(eq(stores.host, row.host), ne(stores.status, 'Deleted'))).get() !== undefined) {
        throw new HostTakenError(`a live store is already served on '${row.host}'`);
      }
      const inserted = this.insert(row);
      after?.(inserted);
      return inserted;
    }, { behavior: 'immediate' });
  }

  public find(id: string): StoreRow | undefined {
    return this.db.select().from(stores).where(eq(stores.id, id)).get();
  }

  public get(id: string): StoreRow {
    const row = this.find(id);
    if (!row) throw new NotFoundError(`store '${id}' not found`);
    return row;
  }

  public countLive(): number {
    const r = this.db.select({ n: sql<number>`count(*)` }).from(stores).where(ne(stores.status, 'Deleted')).get();
    return r?.n ?? 0;
  }

  public countByStatus(): Record<string, number> {
    const rows = this.db.select({ status: stores.status, n: sql<number>`count(*)` }).from(stores)
      .groupBy(stores.status).all();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Oldest first, so recovery resumes stores in the order they were asked for. */
  public listByStatus(statuses: readonly StoreStatus[]): StoreRow[] {
    return this.db.select().from(stores).where(inArray(stores.status, [...statuses]))
      .orderBy(asc(stores.createdAt), asc(stores.id)).all();
  }

  /** What the backup scheduler needs of every Ready store, and nothing else (it reads them every minute). */
  public listReadyForSchedule(): Pick<StoreRow, 'id' | 'plan' | 'createdAt'>[] {
    return this.db.select({ id: stores.id, plan: stores.plan, createdAt: stores.createdAt }).from(stores)
      .where(eq(stores.status, 'Ready')).all();
  }

  /** Soft-deleted stores whose undelete window has ended by `now`: the purge takes them. */
  public listDueForPurge(now: Date): string[] {
    return this.db.select({ id: stores.id }).from(stores)
      .where(and(eq(stores.status, 'Deleting'), lte(stores.purgeAt, now))).all().map((r) => r.id);
  }

  /** Newest first, keyset-paginated on (createdAt, id). */
  public list(q: ListStoresQuery): { items: StoreRow[]; nextCursor?: string } {
    const limit = Math.max(1, Math.min(q.limit, 500));
    const conds = [];
    if (q.ownerId !== undefined) conds.push(eq(stores.ownerId, q.ownerId));
    if (q.status !== undefined) {
      const list = typeof q.status === 'string' ? [q.status] : [...q.status];
      conds.push(inArray(stores.status, list));
    }
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor);
      if (!c || c.length !== 2 || typeof c[0] !== 'number' || typeof c[1] !== 'string') {
        throw new InvalidCursorError('cursor is not valid for this list');
      }
      const at = new Date(c[0]);
      conds.push(or(lt(stores.createdAt, at), and(eq(stores.createdAt, at), lt(stores.id, c[1]))));
    }
    const items = this.db.select().from(stores).where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(stores.createdAt), desc(stores.id)).limit(limit + 1).all();
    if (items.length <= limit) return { items };
    const page = items.slice(0, limit);
    const last = page[page.length - 1]!;
    return { items: page, nextCursor: encodeCursor([last.createdAt.getTime(), last.id]) };
  }

  /**
   * Moves a store to `status` if nobody wrote it since `expectedVersion` was read (optimistic lock).
   * Callers check the lifecycle with status.ts first.
   */
  public update(id: string, expectedVersion: number, status: StoreStatus, patch: StorePatch = {}): StoreRow {
    const row = this.db.update(stores)
      .set({ ...patch, status, version: sql`${stores.version} + 1`, updatedAt: new Date() })
      .where(and(eq(stores.id, id), eq(stores.version, expectedVersion)))
      .returning().get();
    if (!row) {
      if (!this.find(id)) throw new NotFoundError(`store '${id}' not found`);
      throw new StaleWriteError(`store '${id}' changed concurrently; reload and try again`);
    }
    return row;
  }
}

function isUniqueViolation(err: unknown): boolean {
  let cur: unknown = err;
  for (let i = 0; i < 3 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

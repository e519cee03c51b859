import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { storeEvents, type EventPhase } from '../schema.js';

/** One line of a store's timeline. */
export type StoreEventRow = typeof storeEvents.$inferSelect;

export interface NewStoreEvent {
  readonly storeId: string;
  readonly step: string;
  readonly phase: EventPhase;
  readonly message?: string;
  readonly durationMs?: number;
  readonly attempt?: number;
}

/** The provisioning timeline: append-only, except that a repeat of the latest row bumps its count. */
export class EventsRepo {
  // the hottest read (every store view): prepared once instead of built and compiled per call
  readonly #ofStore;

  public constructor(private readonly db: Db) {
    this.#ofStore = db.select().from(storeEvents).where(eq(storeEvents.storeId, sql.placeholder('storeId')))
      .orderBy(asc(storeEvents.id)).prepare();
  }

  /**
   * Appends `e`, unless the store's latest row is the same event again (`isRepeat`): then that row
   * counts one more, takes `e`'s message and attempt, and records when (lastAt). One transaction, so
   * two writers never both append.
   */
  public appendOrRepeat(e: NewStoreEvent, isRepeat: (latest: StoreEventRow) => boolean): StoreEventRow {
    return this.db.transaction((tx) => {
      const latest = tx.select().from(storeEvents).where(eq(storeEvents.storeId, e.storeId)).orderBy(desc(storeEvents.id)).limit(1).get();
      if (latest === undefined || !isRepeat(latest)) return insert(tx, e);
      return tx.update(storeEvents).set({
        count: sql`${storeEvents.count} + 1`, lastAt: new Date(), message: e.message ?? '', attempt: e.attempt ?? latest.attempt,
      }).where(eq(storeEvents.id, latest.id)).returning().get();
    });
  }

  public append(e: NewStoreEvent): StoreEventRow {
    return insert(this.db, e);
  }

  /** Oldest first; `afterId` resumes a stream (SSE Last-Event-ID). */
  public list(storeId: string, opts: { afterId?: number; limit?: number } = {}): StoreEventRow[] {
    if (opts.afterId === undefined && opts.limit === undefined) return this.#ofStore.all({ storeId });
    const cond = opts.afterId !== undefined
      ? and(eq(storeEvents.storeId, storeId), gt(storeEvents.id, opts.afterId))
      : eq(storeEvents.storeId, storeId);
    const q = this.db.select().from(storeEvents).where(cond).orderBy(asc(storeEvents.id));
    return opts.limit !== undefined ? q.limit(opts.limit).all() : q.all();
  }

  /** Each store's timeline, oldest first, in one query: a page of store views reads them all at once. */
  public listOf(storeIds: readonly string[]): Map<string, StoreEventRow[]> {
    const byStore = new Map<string, StoreEventRow[]>(storeIds.map((id) => [id, []]));
    if (storeIds.length === 0) return byStore;
    const rows = this.db.select().from(storeEvents).where(inArray(storeEvents.storeId, [...storeIds]))
      .orderBy(asc(storeEvents.storeId), asc(storeEvents.id)).all();
    for (const row of rows) byStore.get(row.storeId)!.push(row);
    return byStore;
  }
}

function insert(db: Pick<Db, 'insert'>, e: NewStoreEvent): StoreEventRow {
  return db.insert(storeEvents).values({
    storeId: e.storeId, step: e.step, phase: e.phase, message: e.message ?? '',
    durationMs: e.durationMs ?? null, attempt: e.attempt ?? 1, at: new Date(),
  }).returning().get();
}

import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { storeEvents, stores, type EventPhase } from '../schema.js';
import { nextStepConditions, stepConditionsOf, type StoreCondition } from '../../provisioner/conditions.js';
import type { StoreRow } from './stores-repo.js';

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

type Tx = Pick<Db, 'select' | 'insert' | 'update'>;

/**
 * The provisioning timeline: append-only, except that a repeat of the latest row bumps its count.
 * Every write also folds the row into the store's stored step conditions in the same transaction,
 * so the store row and its timeline never disagree.
 */
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
      const row = latest === undefined || !isRepeat(latest) ? insert(tx, e) : tx.update(storeEvents).set({
        count: sql`${storeEvents.count} + 1`, lastAt: new Date(), message: e.message ?? '', attempt: e.attempt ?? latest.attempt,
      }).where(eq(storeEvents.id, latest.id)).returning().get();
      foldIntoStore(tx, row);
      return row;
    });
  }

  public append(e: NewStoreEvent): StoreEventRow {
    return this.db.transaction((tx) => {
      const row = insert(tx, e);
      foldIntoStore(tx, row);
      return row;
    });
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

  /**
   * Each row's step conditions. A row still without them (NULL: written before they were stored, or
   * behind the repositories' back) gets them folded from its timeline here, once, and stored. Lazily
   * rather than a start-up backfill: it is right for a NULL however it came about, and costs nothing
   * at start-up however long the timelines are; only the first view of such a row writes.
   */
  public stepConditionsOf(rows: readonly Pick<StoreRow, 'id' | 'stepConditions'>[]): Map<string, readonly StoreCondition[]> {
    const byStore = new Map<string, readonly StoreCondition[]>();
    const missing: string[] = [];
    for (const row of rows) {
      if (row.stepConditions === null) missing.push(row.id);
      else byStore.set(row.id, row.stepConditions);
    }
    if (missing.length === 0) return byStore;
    this.db.transaction((tx) => {
      for (const [storeId, events] of timelinesOf(tx, missing)) {
        const steps = stepConditionsOf(events);
        // a timeline write in between has stored them already, from the same timeline
        tx.update(stores).set({ stepConditions: steps }).where(and(eq(stores.id, storeId), isNull(stores.stepConditions))).run();
        byStore.set(storeId, steps);
      }
    });
    return byStore;
  }
}

function insert(db: Pick<Db, 'insert'>, e: NewStoreEvent): StoreEventRow {
  return db.insert(storeEvents).values({
    storeId: e.storeId, step: e.step, phase: e.phase, message: e.message ?? '',
    durationMs: e.durationMs ?? null, attempt: e.attempt ?? 1, at: new Date(),
  }).returning().get();
}

/** Applies a just-written (or just-bumped) timeline row to its store's stored step conditions. */
function foldIntoStore(tx: Tx, ev: StoreEventRow): void {
  const store = tx.select({ steps: stores.stepConditions }).from(stores).where(eq(stores.id, ev.storeId)).get();
  if (store === undefined) return; // no store row: only with foreign keys off (tests of the timeline alone)
  // NULL: never folded yet; the whole timeline, this row included, is the truth
  const steps = store.steps === null ? stepConditionsOf(timelinesOf(tx, [ev.storeId]).get(ev.storeId)!) : nextStepConditions(store.steps, ev);
  if (steps !== store.steps) tx.update(stores).set({ stepConditions: steps }).where(eq(stores.id, ev.storeId)).run();
}

/** Each store's timeline, oldest first, in one query. */
function timelinesOf(tx: Pick<Db, 'select'>, storeIds: readonly string[]): Map<string, StoreEventRow[]> {
  const byStore = new Map<string, StoreEventRow[]>(storeIds.map((id) => [id, []]));
  const rows = tx.select().from(storeEvents).where(inArray(storeEvents.storeId, [...storeIds]))
    .orderBy(asc(storeEvents.storeId), asc(storeEvents.id)).all();
  for (const row of rows) byStore.get(row.storeId)!.push(row);
  return byStore;
}

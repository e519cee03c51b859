import { and, asc, eq, gt } from 'drizzle-orm';
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

/** The provisioning timeline: append-only. */
export class EventsRepo {
  public constructor(private readonly db: Db) {}

  public append(e: NewStoreEvent): StoreEventRow {
    return this.db.insert(storeEvents).values({
      storeId: e.storeId, step: e.step, phase: e.phase, message: e.message ?? '',
      durationMs: e.durationMs ?? null, attempt: e.attempt ?? 1, at: new Date(),
    }).returning().get();
  }

  /** Oldest first; `afterId` resumes a stream (SSE Last-Event-ID). */
  public list(storeId: string, opts: { afterId?: number; limit?: number } = {}): StoreEventRow[] {
    const cond = opts.afterId !== undefined
      ? and(eq(storeEvents.storeId, storeId), gt(storeEvents.id, opts.afterId))
      : eq(storeEvents.storeId, storeId);
    const q = this.db.select().from(storeEvents).where(cond).orderBy(asc(storeEvents.id));
    return opts.limit !== undefined ? q.limit(opts.limit).all() : q.all();
  }
}

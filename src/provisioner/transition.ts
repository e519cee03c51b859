import type { EventPhase, StoreStatus } from '../db/schema.js';
import type { StorePatch, StoreRow, StoresRepo } from '../db/repos/stores-repo.js';
import type { StoreBus } from './bus.js';
import { canTransition } from './status.js';
import type { Timeline } from './timeline.js';

/** The timeline entry that explains a transition. */
export interface TransitionNote {
  readonly step: string;
  readonly phase: EventPhase;
  readonly message: string;
  readonly durationMs?: number;
  readonly attempt?: number;
}

/**
 * The one status writer: moves the row if the lifecycle (status.ts) allows it from the current row,
 * announces it on the bus, then records the note on the timeline (in that order, so a stream that ends
 * on the status change still sees its closing entry).
 */
export class StatusWriter {
  public constructor(
    private readonly stores: StoresRepo,
    private readonly bus: StoreBus,
    private readonly timeline: Timeline,
  ) {}

  /** The new row, or undefined when the store is gone or the move is not allowed from where it is now. */
  public transition(id: string, to: StoreStatus, patch: StorePatch = {}, note?: TransitionNote): StoreRow | undefined {
    const cur = this.stores.find(id);
    if (!cur || !canTransition(cur.status, to)) return undefined;
    return this.#write(cur, to, patch, note);
  }

  /** Changes fields of a store that is (still) in `status`, without moving it; undefined otherwise. */
  public amend(id: string, status: StoreStatus, patch: (cur: StoreRow) => StorePatch, note?: TransitionNote): StoreRow | undefined {
    const cur = this.stores.find(id);
    if (cur?.status !== status) return undefined;
    return this.#write(cur, status, patch(cur), note);
  }

  #write(cur: StoreRow, to: StoreStatus, patch: StorePatch, note: TransitionNote | undefined): StoreRow {
    const row = this.stores.update(cur.id, cur.version, to, patch);
    this.bus.emit('store', row);
    if (note) this.timeline.record(cur.id, note.step, note.phase, note.message, { ...(note.durationMs !== undefined ? { durationMs: note.durationMs } : {}), ...(note.attempt !== undefined ? { attempt: note.attempt } : {}) });
    return row;
  }
}

import type { EventPhase } from '../db/schema.js';
import type { EventsRepo, StoreEventRow } from '../db/repos/events-repo.js';
import type { StoreBus } from './bus.js';

/** Step names the platform itself writes on the timeline (the rest come from the synthesized steps). */
export const PLATFORM_STEPS = {
  store: 'store',
  delete: 'delete',
  teardown: 'teardown',
  restart: 'restart',
  resetPassword: 'reset-admin-password',
} as const;

/** Appends to a store's timeline and announces each entry on the bus (SSE, metrics). Never carries a secret. */
export class Timeline {
  public constructor(private readonly events: EventsRepo, private readonly bus: StoreBus) {}

  public record(storeId: string, step: string, phase: EventPhase, message = '', extra: { durationMs?: number; attempt?: number } = {}): StoreEventRow {
    const row = this.events.append({ storeId, step, phase, message, ...extra });
    this.bus.emit('event', row);
    return row;
  }
}

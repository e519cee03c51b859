import type { EventPhase } from '../db/schema.js';
import type { EventsRepo, StoreEventRow } from '../db/repos/events-repo.js';
import type { StoreBus } from './bus.js';

/** Step names the platform itself writes on the timeline (the rest come from the synthesized steps). */
export const PLATFORM_STEPS = {
  store: 'store',
  delete: 'delete',
  undelete: 'undelete',
  teardown: 'teardown',
  restart: 'restart',
  resetPassword: 'reset-admin-password',
  backup: 'backup',
  restore: 'restore',
  suspend: 'suspend',
  resume: 'resume',
  upgrade: 'upgrade',
  rollback: 'upgrade-rollback',
} as const;

/** Appends to a store's timeline and announces each entry on the bus (SSE, metrics). Never carries a secret. */
export class Timeline {
  public constructor(private readonly events: EventsRepo, private readonly bus: StoreBus) {}

  public record(storeId: string, step: string, phase: EventPhase, message = '', extra: { durationMs?: number; attempt?: number } = {}): StoreEventRow {
    const row = this.events.append({ storeId, step, phase, message, ...extra });
    this.bus.emit('event', row);
    return row;
  }

  /**
   * A transient failure of `step` about to be retried. The same reason again right after the last one
   * (an outage) does not add a row: the latest row counts it, so the timeline shows one row per reason
   * with how often and until when. The bus announces the bumped row under its own id.
   */
  public retrying(storeId: string, step: string, reason: string, extra: { attempt: number; delayMs: number }): StoreEventRow {
    const row = this.events.appendOrRepeat(
      { storeId, step, phase: 'retrying', message: `${reason} (retry in ${extra.delayMs} ms)`, attempt: extra.attempt },
      (latest) => latest.step === step && latest.phase === 'retrying' && latest.message.replace(RETRY_IN, '') === reason,
    );
    this.bus.emit('event', row);
    return row;
  }
}

const RETRY_IN = / \(retry in \d+ ms\)$/;

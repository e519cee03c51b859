import { createHash } from 'node:crypto';
import { BACKUP_INTERVAL_HOURS, type Plan } from '../../constructs/index.js';
import type { BackupRow, BackupsRepo } from '../db/repos/backups-repo.js';
import type { StoresRepo } from '../db/repos/stores-repo.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

const HOUR_MS = 3_600_000;

/** The actor scheduled backups are requested by (timeline, `createdBy`). */
export const SCHEDULER_ACTOR = 'scheduler';

/**
 * Where in every interval a store's slot falls: a hash of its id (as Jenkins' `H` spreads cron jobs),
 * so a fleet's backups spread evenly over the interval instead of all starting at once, and each store
 * keeps the same time of day from one interval to the next.
 */
export function slotOffsetMs(storeId: string, intervalMs: number): number {
  return createHash('sha256').update(storeId).digest().readUIntBE(0, 6) % intervalMs;
}

/** The store's latest slot at or before `now` (epoch ms). */
export function latestSlot(storeId: string, intervalMs: number, now: number): number {
  const offset = slotOffsetMs(storeId, intervalMs);
  return Math.floor((now - offset) / intervalMs) * intervalMs + offset;
}

/** What the schedule decides on for one Ready store (epoch ms). */
export interface ScheduleInput {
  readonly storeId: string;
  readonly createdAt: number;
  readonly intervalMs: number;
  /** The latest backup of any kind that did not fail (one Pending or Running counts). */
  readonly lastTakenAt: number | null;
  readonly lastFailedScheduledAt: number | null;
}

/**
 * The stores due for a scheduled backup at `now`, most overdue first. A store is due once its latest
 * slot has passed with no backup taken since (an on-demand one counts); one created after that slot
 * waits for its next; a scheduled backup that failed is tried again `retryMs` later, not at every tick.
 */
export function dueStores(inputs: readonly ScheduleInput[], now: number, retryMs: number): string[] {
  const due: { storeId: string; slot: number }[] = [];
  for (const s of inputs) {
    const slot = latestSlot(s.storeId, s.intervalMs, now);
    if (s.createdAt > slot) continue;
    if (s.lastTakenAt !== null && s.lastTakenAt >= slot) continue;
    if (s.lastFailedScheduledAt !== null && now - s.lastFailedScheduledAt < retryMs) continue;
    due.push({ storeId: s.storeId, slot });
  }
  return due.sort((a, b) => a.slot - b.slot || a.storeId.localeCompare(b.storeId)).map((d) => d.storeId);
}

export interface BackupSchedulerDeps {
  readonly stores: StoresRepo;
  readonly backups: BackupsRepo;
  readonly request: (storeId: string) => BackupRow;
  readonly log: Logger;
  /** Time between backups for every plan (ms); undefined: each plan's BACKUP_INTERVAL_HOURS; 0: off. */
  readonly everyMs: number | undefined;
  /**
   * Scheduled backups Pending or Running at once: the scheduler adds no more, so a fleet that comes
   * due together (first start, an outage) is worked through a few at a time and on-demand backups
   * are not stuck behind it.
   */
  readonly maxPending: number;
  /** How long after a failed scheduled backup the next try is. @default 1 hour */
  readonly retryMs?: number;
  /** How often it looks for due stores. @default 1 minute */
  readonly tickMs?: number;
  /** Test seam: the clock (epoch ms). */
  readonly now?: () => number;
}

/** The platform's own backup scheduler: a `scheduled` backup for every Ready store once per interval. */
export class BackupScheduler {
  readonly #d: BackupSchedulerDeps;
  #timer: NodeJS.Timeout | undefined;

  public constructor(deps: BackupSchedulerDeps) {
    this.#d = deps;
  }

  public get enabled(): boolean {
    return this.#d.everyMs !== 0;
  }

  public start(): void {
    if (!this.enabled || this.#timer) return;
    this.#timer = setInterval(() => this.tick(), this.#d.tickMs ?? 60_000);
    this.#timer.unref();
    this.tick();
  }

  public stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Requests the backups due at `now`, at most up to maxPending; answers the backups requested. */
  public tick(now = (this.#d.now ?? Date.now)()): BackupRow[] {
    if (!this.enabled) return [];
    const { stores, backups, log } = this.#d;
    let room = this.#d.maxPending - backups.countActiveScheduled();
    if (room <= 0) return [];
    const retryMs = this.#d.retryMs ?? HOUR_MS;
    const ready = stores.listReadyForSchedule();
    const intervalOf = (plan: string): number => this.#d.everyMs ?? BACKUP_INTERVAL_HOURS[plan as Plan] * HOUR_MS;
    // a backup older than the longest interval (or the retry wait) is before every latest slot: it decides nothing
    const window = Math.max(retryMs, this.#d.everyMs ?? Math.max(...Object.values(BACKUP_INTERVAL_HOURS)) * HOUR_MS);
    const state = new Map(backups.scheduleState(new Date(now - window)).map((s) => [s.storeId, s]));
    const inputs = ready.map((row) => ({
      storeId: row.id,
      createdAt: row.createdAt.getTime(),
      intervalMs: intervalOf(row.plan),
      lastTakenAt: state.get(row.id)?.lastTakenAt ?? null,
      lastFailedScheduledAt: state.get(row.id)?.lastFailedScheduledAt ?? null,
    }));
    const requested: BackupRow[] = [];
    for (const storeId of dueStores(inputs, now, retryMs)) {
      if (room <= 0) break;
      try {
        requested.push(this.#d.request(storeId));
        room--;
      } catch (err) {
        // a restore running, or the store left Ready since the list: the next tick looks again
        if (!(err instanceof AppError)) throw err;
        log.debug({ storeId, code: err.code }, 'Scheduled backup not taken now');
      }
    }
    if (requested.length > 0) log.info({ count: requested.length }, 'Scheduled backups requested');
    return requested;
  }
}

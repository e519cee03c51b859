import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/db/client.js';
import { BackupsRepo } from '../../src/db/repos/backups-repo.js';
import { StoresRepo } from '../../src/db/repos/stores-repo.js';
import { createLogger } from '../../src/logger.js';
import { BackupScheduler } from '../../src/provisioner/backup-schedule.js';
import { summarize, type Summary } from './lib/stats.js';

export interface ScheduleBenchOptions {
  readonly stores: number;
  /** Daily backups already recorded per store (a month: 30). */
  readonly backupsPerStore: number;
  readonly ticks: number;
  readonly log: (msg: string) => void;
}

export interface ScheduleBenchResult {
  readonly stores: number;
  readonly backupRows: number;
  /** One scheduler tick (it runs on the platform's event loop every minute), ms. */
  readonly tickMs: Summary;
}

const DAY = 86_400_000;

/**
 * The backup scheduler's tick on a real SQLite file (WAL) holding `stores` Ready stores with a month of
 * daily backups each: the time the platform's event loop is held once a minute.
 */
export async function runScheduleBench(opts: ScheduleBenchOptions): Promise<ScheduleBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-schedule-'));
  try {
    const db = openDb(join(dir, 'platform.db'));
    const stores = new StoresRepo(db);
    const backups = new BackupsRepo(db);
    const t0 = Date.UTC(2026, 0, 1);
    const created = new Date(t0);
    opts.log(`schedule: inserting ${opts.stores} stores with ${opts.backupsPerStore} backups each`);
    for (let i = 0; i < opts.stores; i++) {
      const id = `sched-${i}`;
      stores.insert({
        id, slug: id, title: 'Bench', engine: 'woocommerce', plan: 'small', adminEmail: 'a@b.test', currency: 'EUR', status: 'Ready',
        storeUrl: `http://${id}.test`, adminUrl: `http://${id}.test/wp-admin/`, host: `${id}.test`, createdAt: created, updatedAt: created,
      });
      // spread over the day as the schedule itself would
      const offset = Math.floor((i / opts.stores) * DAY);
      for (let d = 0; d < opts.backupsPerStore; d++) {
        backups.insertUnlessBusy({
          id: `${id}-${d}`, storeId: id, slug: id, engine: 'woocommerce', kind: 'scheduled', status: 'Succeeded', createdBy: 'bench',
          createdAt: new Date(t0 + d * DAY + offset),
        });
      }
    }
    let clock = t0 + opts.backupsPerStore * DAY;
    let n = 0;
    const scheduler = new BackupScheduler({
      stores, backups, log: createLogger('silent'), everyMs: undefined, maxPending: 2, now: () => clock,
      request: (storeId) => backups.insertUnlessBusy({
        id: `tick-${n++}`, storeId, slug: storeId, engine: 'woocommerce', kind: 'scheduled', status: 'Pending', createdBy: 'bench', createdAt: new Date(clock),
      })!,
    });
    const times: number[] = [];
    for (let k = 0; k < opts.ticks; k++) {
      const start = performance.now();
      const requested = scheduler.tick();
      times.push(performance.now() - start);
      for (const b of requested) backups.update(b.id, { status: 'Succeeded', finishedAt: new Date(clock) });
      clock += 60_000;
    }
    db.$client.close();
    const tickMs = summarize(times);
    opts.log(`schedule: tick p50 ${tickMs.p50.toFixed(1)} ms, p99 ${tickMs.p99.toFixed(1)} ms over ${opts.ticks} ticks`);
    return { stores: opts.stores, backupRows: opts.stores * opts.backupsPerStore + n, tickMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/db/client.js';
import { BackupsRepo, type BackupRow } from '../../../src/db/repos/backups-repo.js';
import { StoresRepo } from '../../../src/db/repos/stores-repo.js';
import type { BackupKind, RunStatus, StoreStatus } from '../../../src/db/schema.js';
import { StoreNotReadyError } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';
import { BackupScheduler, dueStores, latestSlot, slotOffsetMs, type ScheduleInput } from '../../../src/provisioner/backup-schedule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

describe('the backup schedule (pure)', () => {
  it('gives each store its own slot, the same in every interval, and spreads a fleet over the interval', () => {
    const offsets = Array.from({ length: 2_000 }, (_, i) => slotOffsetMs(`store-${i}`, DAY));
    for (const o of offsets) expect(o).toBeGreaterThanOrEqual(0);
    for (const o of offsets) expect(o).toBeLessThan(DAY);
    // every hour of the day gets its share (2000 / 24 = 83): none empty, none over twice its share
    const perHour = Array.from({ length: 24 }, (_, h) => offsets.filter((o) => Math.floor(o / HOUR) === h).length);
    expect(Math.min(...perHour)).toBeGreaterThan(40);
    expect(Math.max(...perHour)).toBeLessThan(167);
    const slot = latestSlot('store-7', DAY, T0 + 10 * DAY);
    expect(latestSlot('store-7', DAY, T0 + 11 * DAY)).toBe(slot + DAY);
    expect((slot - T0) % DAY).toBe(slotOffsetMs('store-7', DAY));
    expect(slot).toBeLessThanOrEqual(T0 + 10 * DAY);
    expect(slot).toBeGreaterThan(T0 + 9 * DAY);
  });

  it('is due once its slot passed with nothing taken since, and not again until the next slot', () => {
    const slot = latestSlot('a', DAY, T0 + 5 * DAY);
    const store = (over: Partial<ScheduleInput>): ScheduleInput => ({
      storeId: 'a', createdAt: T0, intervalMs: DAY, lastTakenAt: null, lastFailedScheduledAt: null, ...over,
    });
    expect(dueStores([store({})], slot, HOUR)).toEqual(['a']);
    expect(dueStores([store({ lastTakenAt: slot - 1 })], slot, HOUR)).toEqual(['a']);
    // taken at or after the slot, of any kind: not due until the slot after
    expect(dueStores([store({ lastTakenAt: slot })], slot + DAY - 1, HOUR)).toEqual([]);
    expect(dueStores([store({ lastTakenAt: slot })], slot + DAY, HOUR)).toEqual(['a']);
    // created after its latest slot: its first backup is at its next slot
    expect(dueStores([store({ createdAt: slot + 1 })], slot + 10, HOUR)).toEqual([]);
    expect(dueStores([store({ createdAt: slot + 1 })], slot + DAY, HOUR)).toEqual(['a']);
    // a failed scheduled backup is tried again an hour later, not at every tick
    expect(dueStores([store({ lastFailedScheduledAt: slot + 5 })], slot + 5 + HOUR - 1, HOUR)).toEqual([]);
    expect(dueStores([store({ lastFailedScheduledAt: slot + 5 })], slot + 5 + HOUR, HOUR)).toEqual(['a']);
  });

  it('puts the most overdue first: a store whose slot passed long ago before one whose slot just passed', () => {
    const now = T0 + 30 * DAY;
    const ids = Array.from({ length: 50 }, (_, i) => `s${i}`);
    const due = dueStores(ids.map((storeId) => ({ storeId, createdAt: T0, intervalMs: DAY, lastTakenAt: null, lastFailedScheduledAt: null })), now, HOUR);
    expect([...due].sort()).toEqual([...ids].sort());
    const slots = due.map((id) => latestSlot(id, DAY, now));
    expect(slots).toEqual([...slots].sort((a, b) => a - b));
  });
});

describe('BackupScheduler (SQLite, fake clock)', () => {
  function setup(opts: { everyHours?: number; maxPending?: number; stores?: number; plan?: string } = {}) {
    const db = openDb(':memory:');
    const stores = new StoresRepo(db);
    const backups = new BackupsRepo(db);
    const created = new Date(T0);
    const insert = (id: string, status: StoreStatus = 'Ready', plan = opts.plan ?? 'small') => stores.insert({
      id, slug: id, title: 'T', engine: 'woocommerce', plan, adminEmail: 'a@b.test', currency: 'EUR', status,
      storeUrl: `http://${id}.test`, adminUrl: `http://${id}.test/wp-admin/`, host: `${id}.test`, createdAt: created, updatedAt: created,
    });
    for (let i = 0; i < (opts.stores ?? 1); i++) insert(`s${i}`);
    let n = 0;
    const add = (storeId: string, kind: BackupKind, status: RunStatus, at: number): BackupRow => backups.insertUnlessBusy({
      id: `b${n++}`, storeId, slug: storeId, engine: 'woocommerce', kind, status, createdBy: 'test', createdAt: new Date(at),
    })!;
    let clock = T0;
    const requests: string[] = [];
    const scheduler = new BackupScheduler({
      stores, backups, log: createLogger('silent'), everyMs: opts.everyHours === undefined ? undefined : opts.everyHours * HOUR, maxPending: opts.maxPending ?? 2,
      now: () => clock,
      request: (storeId) => {
        if (stores.get(storeId).status !== 'Ready') throw new StoreNotReadyError('not Ready');
        requests.push(storeId);
        return add(storeId, 'scheduled', 'Pending', clock);
      },
    });
    return { stores, backups, scheduler, insert, add, requests, setClock: (t: number) => { clock = t; } };
  }

  it('backs each Ready store up once per its plan\'s interval (small 24 h, large 12 h), as `scheduled` backups', () => {
    const { scheduler, backups, setClock, insert } = setup({ stores: 0 });
    insert('small-1', 'Ready', 'small');
    insert('large-1', 'Ready', 'large');
    const count = (id: string) => backups.listByStore(id).length;
    for (let t = T0; t <= T0 + 4 * DAY; t += 10 * 60_000) {
      setClock(t);
      for (const b of scheduler.tick()) backups.update(b.id, { status: 'Succeeded' });
    }
    // four days after creation: one slot a day for small (4, or 3 when the first falls after the last tick), two for large
    expect(count('small-1')).toBeGreaterThanOrEqual(3);
    expect(count('small-1')).toBeLessThanOrEqual(4);
    expect(count('large-1')).toBeGreaterThanOrEqual(7);
    expect(count('large-1')).toBeLessThanOrEqual(8);
    const rows = backups.listByStore('small-1');
    expect(rows.every((b) => b.kind === 'scheduled')).toBe(true);
    // consecutive backups one interval apart, at the store's own time of day
    const times = rows.map((b) => b.createdAt.getTime()).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(DAY);
    expect((times[0]! - T0) % DAY - slotOffsetMs('small-1', DAY)).toBeLessThan(10 * 60_000);
  });

  it('holds scheduled backups to maxPending at once, so a fleet that comes due together is worked through a few at a time', () => {
    const { scheduler, backups, setClock } = setup({ stores: 10, maxPending: 3 });
    setClock(T0 + 2 * DAY);
    const first = scheduler.tick();
    expect(first).toHaveLength(3);
    expect(scheduler.tick()).toHaveLength(0);
    backups.update(first[0]!.id, { status: 'Succeeded' });
    backups.update(first[1]!.id, { status: 'Failed' });
    expect(scheduler.tick()).toHaveLength(2);
    for (let i = 0; i < 10; i++) {
      for (const b of backups.listActive()) backups.update(b.id, { status: 'Succeeded' });
      if (scheduler.tick().length === 0) break;
    }
    // all ten taken, the failed one not again within the hour
    const taken = (id: string) => backups.listByStore(id).filter((b) => b.status === 'Succeeded').length;
    const withBackup = Array.from({ length: 10 }, (_, i) => `s${i}`).filter((id) => taken(id) === 1);
    expect(withBackup).toHaveLength(9);
    const failed = first[1]!.storeId;
    expect(taken(failed)).toBe(0);
    setClock(T0 + 2 * DAY + HOUR);
    expect(scheduler.tick().map((b) => b.storeId)).toEqual([failed]);
  });

  it('counts a backup of any kind, skips stores that are not Ready, and is off with everyHours 0', () => {
    const { scheduler, setClock, add, insert, requests } = setup({ stores: 2, everyHours: 24 });
    insert('suspended', 'Suspended');
    const now = T0 + 3 * DAY;
    add('s0', 'on-demand', 'Succeeded', latestSlot('s0', DAY, now) + 1);
    setClock(now);
    expect(scheduler.tick().map((b) => b.storeId)).toEqual(['s1']);
    expect(requests).toEqual(['s1']);

    const off = setup({ stores: 2, everyHours: 0 });
    off.setClock(now);
    expect(off.scheduler.enabled).toBe(false);
    expect(off.scheduler.tick()).toEqual([]);
  });

  it('skips a store that turns busy or leaves Ready between the list and the request, and takes it at a later tick', () => {
    const { scheduler, setClock, stores, requests } = setup({ stores: 2 });
    setClock(T0 + 2 * DAY);
    const row = stores.get('s0');
    let refused = false;
    const original = stores.get.bind(stores);
    stores.get = (id: string) => {
      if (id === 's0' && !refused) {
        refused = true;
        return { ...row, status: 'Restoring' };
      }
      return original(id);
    };
    expect(scheduler.tick().map((b) => b.storeId)).toEqual(['s1']);
    expect(scheduler.tick().map((b) => b.storeId)).toEqual(['s0']);
    expect(requests).toEqual(['s1', 's0']);
  });
});

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MIGRATIONS_FOLDER, openDb, type Db } from '../../../src/db/client.js';
import { EventsRepo } from '../../../src/db/repos/events-repo.js';
import { StoresRepo } from '../../../src/db/repos/stores-repo.js';
import { conditionsOf, stepConditionsOf, withReady } from '../../../src/provisioner/conditions.js';
import { StoreBus } from '../../../src/provisioner/bus.js';
import { PLATFORM_STEPS, Timeline } from '../../../src/provisioner/timeline.js';
import { bearer, makeApp, type TestApp } from '../http/helpers.js';

// The step conditions stored on the store row, kept by every timeline write, against the fold of the
// timeline they came from, on a real SQLite file.

const STEPS = ['namespace', 'guardrails', 'secrets', 'mysql', 'wordpress', 'store-setup', 'store-check'];
const NOTES = [PLATFORM_STEPS.store, PLATFORM_STEPS.delete, PLATFORM_STEPS.restart, PLATFORM_STEPS.resetPassword];

type Op =
  | { kind: 'record'; step: string; phase: 'started' | 'succeeded' | 'failed' | 'info'; tick: number }
  | { kind: 'retrying'; step: string; reason: string; tick: number }
  /** One attempt of a step as the reconciler writes it: started, retries (often the same reason again), an outcome. */
  | { kind: 'attempt'; step: string; reasons: string[]; outcome: 'succeeded' | 'failed' | 'none'; tick: number };

const tick = fc.integer({ min: 0, max: 2 }); // 0: several rows in one millisecond
const step = fc.constantFrom(...STEPS, ...NOTES);
const reason = fc.constantFrom('API server unreachable', 'quota exceeded');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('record' as const), step, phase: fc.constantFrom('started' as const, 'succeeded' as const, 'failed' as const, 'info' as const), tick }),
  fc.record({ kind: fc.constant('retrying' as const), step, reason, tick }),
  fc.record({ kind: fc.constant('attempt' as const), step: fc.constantFrom(...STEPS), reasons: fc.array(reason, { maxLength: 4 }), outcome: fc.constantFrom('succeeded' as const, 'failed' as const, 'none' as const), tick }),
);

const storeRow = (id: string) => ({
  id, slug: id, title: 'T', engine: 'woocommerce', plan: 'small', adminEmail: 'a@b.test', currency: 'EUR', status: 'Provisioning' as const,
  storeUrl: `http://${id}.test`, adminUrl: `http://${id}.test/wp-admin/`, createdAt: new Date(0), updatedAt: new Date(0),
});

describe('stored step conditions', () => {
  let db: Db;
  let stores: StoresRepo;
  let events: EventsRepo;
  let timeline: Timeline;

  beforeAll(() => {
    db = openDb(join(mkdtempSync(join(tmpdir(), 'sp-steps-')), 'platform.db'));
    stores = new StoresRepo(db);
    events = new EventsRepo(db);
    timeline = new Timeline(events, new StoreBus());
  });
  afterAll(() => db.$client.close());
  afterEach(() => vi.useRealTimers());

  /** The row's stored step conditions, and what the fold of its whole timeline gives. */
  const both = (id: string) => {
    const row = stores.get(id);
    const list = events.list(id);
    return { row, list, stored: row.stepConditions, folded: stepConditionsOf(list) };
  };

  it('equal the fold of the timeline after every write, for generated timelines with repeats, retries, failures and notes', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let n = 0;
    let repeats = 0;
    let seenAgain = 0;
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
      const id = `prop-${n++}`;
      stores.insert(storeRow(id));
      let now = 1_000_000 + n * 10_000;
      // every write is checked, so a retry bumped in the middle of an attempt counts too
      const write = (fn: () => void) => {
        fn();
        const { stored, folded } = both(id);
        expect(stored).toEqual(folded);
      };
      for (const o of ops) {
        vi.setSystemTime((now += o.tick));
        if (o.kind === 'record') write(() => timeline.record(id, o.step, o.phase, `${o.step} ${o.phase} at ${now}`));
        else if (o.kind === 'retrying') write(() => timeline.retrying(id, o.step, o.reason, { attempt: 1, delayMs: now % 7 }));
        else {
          write(() => timeline.record(id, o.step, 'started', `${o.step} started`));
          o.reasons.forEach((r, i) => {
            vi.setSystemTime((now += o.tick));
            write(() => timeline.retrying(id, o.step, r, { attempt: i + 1, delayMs: 100 * (i + 1) }));
          });
          vi.setSystemTime((now += o.tick));
          // 'none': the attempt was cut off mid-retry (a restart); a later attempt starts the step over
          const outcome = o.outcome;
          if (outcome !== 'none') write(() => timeline.record(id, o.step, outcome, `${o.step} ${outcome}`));
        }
      }
      const { row, list, stored } = both(id);
      expect(withReady(row, stored!)).toEqual(conditionsOf(row, list));
      if (list.some((e) => e.count > 1)) repeats++;
      if (list.some((e, i) => e.phase === 'started' && STEPS.includes(e.step) && list.slice(0, i).some((p) => p.step === e.step && p.phase !== 'info'))) seenAgain++;
    }), { numRuns: 100, seed: 19 });
    // the generator really wrote repeats and steps started again, not only simple timelines
    expect(repeats).toBeGreaterThan(10);
    expect(seenAgain).toBeGreaterThan(10);
  }, 60_000);

  it('start empty on a new store and leave out another store\'s timeline', () => {
    stores.insert(storeRow('fresh-a'));
    stores.insert(storeRow('fresh-b'));
    expect(stores.get('fresh-a').stepConditions).toEqual([]);
    timeline.record('fresh-a', 'namespace', 'succeeded', 'done');
    timeline.record('fresh-b', 'mysql', 'failed', 'boom');
    expect(stores.get('fresh-a').stepConditions).toEqual([expect.objectContaining({ type: 'Namespace', status: 'True' })]);
    expect(stores.get('fresh-b').stepConditions).toEqual([expect.objectContaining({ type: 'Mysql', status: 'False', message: 'boom' })]);
  });

  it('do not move the row\'s version or updatedAt, so optimistic writers and Ready are unaffected', () => {
    const before = stores.insert(storeRow('untouched'));
    timeline.record('untouched', 'namespace', 'started');
    const after = stores.get('untouched');
    expect([after.version, after.updatedAt]).toEqual([before.version, before.updatedAt]);
    expect(() => stores.update('untouched', before.version, 'Ready')).not.toThrow();
  });
});

describe('a store from before the step conditions were stored', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.close();
    t?.db.$client.close();
    t = undefined;
  });

  /** A database file migrated up to, not including, 0010, with one Failed store and its timeline written then. */
  function oldDatabase(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sp-mig-steps-'));
    const before = join(dir, 'before');
    cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
    const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag === '0010_step_conditions');
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal));
    const file = join(dir, 'platform.db');
    const old = openDb(file, before);
    old.$client.exec(`insert into stores (id, slug, title, engine, plan, admin_email, currency, status, status_reason, failed_step, store_url, admin_url, created_at, updated_at)
      values ('old', 'old', 'T', 'woocommerce', 'small', 'a@b.test', 'EUR', 'Failed', 'MySQL database: boom', 'mysql', 'http://old.test', 'http://old.test/wp-admin/', 1, 9000)`);
    const ev = (step: string, phase: string, at: number, message: string, count = 1) =>
      `('old', '${step}', '${phase}', '${message}', ${at}, ${count})`;
    old.$client.exec(`insert into store_events (store_id, step, phase, message, at, count) values
      ${ev('store', 'info', 10, 'Store requested')}, ${ev('namespace', 'started', 20, 'Namespace')}, ${ev('namespace', 'succeeded', 30, 'ok')},
      ${ev('mysql', 'started', 40, 'MySQL')}, ${ev('mysql', 'retrying', 50, 'unreachable (retry in 600 ms)', 3)}, ${ev('mysql', 'failed', 60, 'boom')}`);
    old.$client.close();
    return file;
  }

  it('is viewed with the conditions of its timeline, which are then stored and kept', async () => {
    const db = openDb(oldDatabase());
    expect(db.$client.prepare(`select step_conditions from stores where id = 'old'`).get()).toEqual({ step_conditions: null });
    t = await makeApp({}, { db });
    const events = new EventsRepo(db);
    const stores = new StoresRepo(db);
    const expected = conditionsOf(stores.get('old'), events.list('old'));
    expect(expected.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual(['Namespace=True/Succeeded', 'Mysql=False/Failed', 'Ready=False/StepFailed']);

    const one = await t.app.inject({ url: '/api/v1/stores/old', headers: bearer(t.adminKey) });
    expect(one.statusCode).toBe(200);
    expect(one.json().conditions).toEqual(expected);
    expect(stores.get('old').stepConditions).toEqual(expected.slice(0, -1));
    const list = await t.app.inject({ url: '/api/v1/stores', headers: bearer(t.adminKey) });
    expect(list.json().items.find((s: { id: string }) => s.id === 'old').conditions).toEqual(expected);

    // from the stored ones on, the next write is applied incrementally
    t.provisioner.step('old', 'mysql', 'started');
    expect(stores.get('old').stepConditions).toEqual(stepConditionsOf(events.list('old')));
    expect(stores.get('old').stepConditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['Namespace=True', 'Mysql=Unknown']);
  });

  it('gets its whole timeline folded when a timeline write comes before any view', async () => {
    const db = openDb(oldDatabase());
    const events = new EventsRepo(db);
    new Timeline(events, new StoreBus()).record('old', 'mysql', 'started', 'MySQL again');
    const stored = new StoresRepo(db).get('old').stepConditions;
    expect(stored).toEqual(stepConditionsOf(events.list('old')));
    expect(stored!.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual(['Namespace=True/Succeeded', 'Mysql=Unknown/Progressing']);
    db.$client.close();
  });
});

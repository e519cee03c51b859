import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/db/client.js';
import { EventsRepo, type StoreEventRow } from '../../../src/db/repos/events-repo.js';
import { StoreBus } from '../../../src/provisioner/bus.js';
import { Timeline } from '../../../src/provisioner/timeline.js';

// The collapse of repeated retries, on a real (in-memory) database; the outage itself is in
// test/integration/engine-fault.test.ts.
describe('Timeline.retrying', () => {
  let db: Db;
  afterEach(() => db?.$client.close());

  function timeline() {
    db = openDb(':memory:');
    db.$client.pragma('foreign_keys = OFF'); // timeline rows without store rows
    const bus = new StoreBus();
    const emitted: StoreEventRow[] = [];
    bus.on('event', (e: StoreEventRow) => emitted.push(e));
    return { t: new Timeline(new EventsRepo(db), bus), events: new EventsRepo(db), emitted };
  }

  it('counts the same reason again on the latest row, with its latest attempt, delay and time', () => {
    const { t, events, emitted } = timeline();
    t.record('s', 'wordpress', 'started', 'WordPress');
    const first = t.retrying('s', 'wordpress', 'Deployment x: API server unreachable (ECONNREFUSED)', { attempt: 1, delayMs: 250 });
    const again = t.retrying('s', 'wordpress', 'Deployment x: API server unreachable (ECONNREFUSED)', { attempt: 2, delayMs: 600 });
    expect(again.id).toBe(first.id);
    expect(events.list('s')).toHaveLength(2);
    expect(again).toMatchObject({ count: 2, attempt: 2, message: 'Deployment x: API server unreachable (ECONNREFUSED) (retry in 600 ms)' });
    expect(again.lastAt).toBeInstanceOf(Date);
    expect(emitted.map((e) => [e.id, e.count])).toEqual([[first.id - 1, 1], [first.id, 1], [first.id, 2]]);
  });

  it('starts a new row for another reason, another step, or after any other row', () => {
    const { t, events } = timeline();
    t.retrying('s', 'wordpress', 'reason a', { attempt: 1, delayMs: 1 });
    t.retrying('s', 'wordpress', 'reason b', { attempt: 2, delayMs: 1 });
    t.retrying('s', 'mysql', 'reason b', { attempt: 1, delayMs: 1 });
    t.record('s', 'mysql', 'info', 'Waiting: pod mysql-0 unschedulable');
    t.retrying('s', 'mysql', 'reason b', { attempt: 2, delayMs: 1 });
    t.retrying('other', 'mysql', 'reason b', { attempt: 1, delayMs: 1 });
    expect(events.list('s').map((e) => [e.step, e.phase, e.count])).toEqual([
      ['wordpress', 'retrying', 1], ['wordpress', 'retrying', 1], ['mysql', 'retrying', 1], ['mysql', 'info', 1], ['mysql', 'retrying', 1],
    ]);
    expect(events.list('other')).toHaveLength(1);
  });
});

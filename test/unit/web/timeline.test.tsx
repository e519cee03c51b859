import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StoreEvent } from '../../../src/web/api/client';
import { TimelineView } from '../../../src/web/components/timeline-view';
import { buildTimeline, mergeEvents } from '../../../src/web/lib/timeline';

let nextId = 1;
const T0 = Date.parse('2026-11-24T07:00:00.000Z');
function ev(
  step: string, phase: StoreEvent['phase'], message: string,
  opts: { atMs?: number; durationMs?: number; attempt?: number; count?: number; lastAtMs?: number } = {},
): StoreEvent {
  return {
    id: nextId++,
    storeId: 'st_acme',
    step,
    phase,
    message,
    durationMs: opts.durationMs ?? null,
    attempt: opts.attempt ?? 1,
    at: new Date(T0 + (opts.atMs ?? 0)).toISOString(),
    count: opts.count ?? 1,
    lastAt: opts.lastAtMs !== undefined ? new Date(T0 + opts.lastAtMs).toISOString() : null,
  };
}

const stepItems = () => within(screen.getByRole('list', { name: 'Provisioning steps' })).getAllByRole('listitem').filter((li) => li.hasAttribute('data-step'));

describe('timeline', () => {
  it('renders each step once, in order, with its state, duration, attempts and messages', () => {
    const events = [
      ev('store', 'info', 'Provisioning started: 3 steps'),
      ev('namespace', 'started', 'Namespace (step 1 of 3)', { atMs: 10 }),
      ev('namespace', 'succeeded', 'Namespace: created 1; ready', { atMs: 1250, durationMs: 1240 }),
      ev('mysql', 'started', 'MySQL (step 2 of 3)', { atMs: 1300 }),
      ev('mysql', 'retrying', 'apiserver unavailable (retry in 200 ms)', { atMs: 1500, attempt: 2 }),
      ev('mysql', 'succeeded', 'MySQL: created 3; ready', { atMs: 6300, durationMs: 5000, attempt: 3 }),
    ];
    render(<TimelineView events={events} now={T0 + 10_000} live={false} />);
    const items = stepItems();
    expect(items.map((li) => li.dataset.step)).toEqual(['store', 'namespace', 'mysql']);
    expect(items.map((li) => li.dataset.state)).toEqual(['note', 'done', 'done']);
    const ns = within(items[1]!);
    expect(ns.getByText('Done')).toBeTruthy();
    expect(ns.getByText('1.2 s')).toBeTruthy();
    expect(ns.getByText('1 attempt')).toBeTruthy();
    expect(ns.getByText(/created 1; ready/)).toBeTruthy();
    const mysql = within(items[2]!);
    expect(mysql.getByText('5.0 s')).toBeTruthy();
    expect(mysql.getByText('3 attempts')).toBeTruthy();
    expect(mysql.getByText(/apiserver unavailable/).closest('li')!.className).toBe('phase-retrying');
    expect(mysql.getAllByRole('listitem')).toHaveLength(3);
  });

  it('shows a running step with its live duration so far', () => {
    const events = [ev('wordpress', 'started', 'WordPress (step 3 of 3)', { atMs: 0 })];
    render(<TimelineView events={events} now={T0 + 65_000} live />);
    const [item] = stepItems();
    expect(item!.dataset.state).toBe('running');
    expect(within(item!).getByText('Running')).toBeTruthy();
    expect(within(item!).getByText('1 min 5 s so far')).toBeTruthy();
  });

  it('marks a failed step with its reason', () => {
    const events = [ev('setup', 'started', 'Setup job'), ev('setup', 'failed', 'Job store-setup failed: BackoffLimitExceeded', { atMs: 900, durationMs: 900 })];
    render(<TimelineView events={events} now={T0 + 5000} live={false} />);
    const [item] = stepItems();
    expect(item!.dataset.state).toBe('failed');
    expect(within(item!).getByText('Failed')).toBeTruthy();
    expect(within(item!).getByText(/BackoffLimitExceeded/).closest('li')!.className).toBe('phase-failed');
  });

  it('says it is waiting while live and empty', () => {
    render(<TimelineView events={[]} now={T0} live />);
    expect(screen.getByText(/waiting for the first step/i)).toBeTruthy();
  });

  it('folds a retried step into one entry whose state follows the latest run', () => {
    const events = [
      ev('setup', 'started', 'run 1'),
      ev('setup', 'failed', 'boom', { durationMs: 100 }),
      ev('store', 'info', 'Retry requested'),
      ev('setup', 'started', 'run 2', { atMs: 5000, attempt: 1 }),
    ];
    const steps = buildTimeline(events);
    expect(steps.map((s) => [s.step, s.state])).toEqual([['setup', 'running'], ['store', 'note']]);
    expect(steps[0]!.startedAt).toBe(new Date(T0 + 5000).toISOString());
  });

  it('merges streamed events without duplicates, in id order', () => {
    const a = ev('x', 'started', 'a');
    const b = ev('x', 'succeeded', 'b');
    expect(mergeEvents([b], [a, b]).map((e) => e.id)).toEqual([a.id, b.id]);
  });

  it('shows a collapsed retry row with how many retries it stands for and until when, updated in place when streamed again', () => {
    const retry = ev('mysql', 'retrying', 'API server unreachable (ECONNREFUSED) (retry in 800 ms)', { atMs: 1000 });
    const again = { ...retry, count: 7, lastAt: new Date(T0 + 29_000).toISOString(), message: 'API server unreachable (ECONNREFUSED) (retry in 5000 ms)' };
    const events = mergeEvents([ev('mysql', 'started', 'MySQL'), retry], [again]);
    expect(events).toHaveLength(2);
    render(<TimelineView events={events} now={T0 + 30_000} live />);
    const row = within(stepItems()[0]!).getByText(/ECONNREFUSED/).closest('li')!;
    expect(row.textContent).toMatch(/retry in 5000 ms\) ×7, until 07:00:29$/);
  });
});

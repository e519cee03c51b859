import type { StoreEvent } from '../api/client';

export type StepState = 'pending' | 'running' | 'retrying' | 'done' | 'failed' | 'note';

/** One step of a store's timeline with everything recorded about it. */
export interface TimelineStep {
  readonly step: string;
  readonly state: StepState;
  /** Duration of the last finished run, in ms. */
  readonly durationMs: number | null;
  /** When the running attempt started (for a live duration). */
  readonly startedAt: string | null;
  readonly attempts: number;
  readonly events: readonly StoreEvent[];
}

const STATE_OF: Record<StoreEvent['phase'], StepState | null> = {
  started: 'running',
  retrying: 'retrying',
  succeeded: 'done',
  failed: 'failed',
  info: null,
};

/**
 * Folds the event list (oldest first) into steps, in the order each step first appeared. A step's
 * state is that of its latest non-info event; a step with only info events is a note.
 */
export function buildTimeline(events: readonly StoreEvent[]): TimelineStep[] {
  const byStep = new Map<string, { state: StepState; durationMs: number | null; startedAt: string | null; attempts: number; events: StoreEvent[] }>();
  for (const ev of [...events].sort((a, b) => a.id - b.id)) {
    let s = byStep.get(ev.step);
    if (s === undefined) {
      s = { state: 'note', durationMs: null, startedAt: null, attempts: 0, events: [] };
      byStep.set(ev.step, s);
    }
    s.events.push(ev);
    s.attempts = Math.max(s.attempts, ev.phase === 'info' ? 0 : ev.attempt);
    const state = STATE_OF[ev.phase];
    if (state === null) continue;
    s.state = state;
    if (ev.phase === 'started') {
      s.startedAt = ev.at;
    } else if (ev.phase === 'succeeded' || ev.phase === 'failed') {
      s.durationMs = ev.durationMs;
      s.startedAt = null;
    }
  }
  return [...byStep].map(([step, s]) => ({ step, ...s }));
}

/** Merges new events into a list (by id), keeping it sorted and free of duplicates. */
export function mergeEvents(current: readonly StoreEvent[], incoming: readonly StoreEvent[]): StoreEvent[] {
  if (incoming.length === 0) return current as StoreEvent[];
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

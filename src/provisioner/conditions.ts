import type { StoreEventRow } from '../db/repos/events-repo.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import { PLATFORM_STEPS } from './timeline.js';

/** A controller-style status condition, derived from the store's timeline. */
export interface StoreCondition {
  /** PascalCase: the step (`Namespace`, `StoreCheck`, ...) or `Ready`. */
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  /** PascalCase: Succeeded, Progressing, Retrying, Failed (steps); Ready, StepFailed, Pending, ... (Ready). */
  readonly reason: string;
  readonly message: string;
  /** When `status` last changed (ISO 8601). */
  readonly lastTransitionTime: string;
}

/** What a step condition is folded from: one timeline row. */
export type TimelineEntry = Pick<StoreEventRow, 'step' | 'phase' | 'message' | 'at'>;

type ReadySource = Pick<StoreRow, 'status' | 'statusReason' | 'updatedAt'>;

const ENGINE_NOTES = new Set<string>(Object.values(PLATFORM_STEPS));

const pascal = (step: string): string => step.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/**
 * The step conditions after one more timeline row: each step's latest started, retrying, succeeded or
 * failed entry, in first-seen order; info rows and engine notes change nothing. A repeat that bumped
 * the latest row is applied as that row again: its step, phase and `at` are unchanged, so the step
 * keeps its status and lastTransitionTime and takes the new message. Pure; `steps` is not modified.
 */
export function nextStepConditions(steps: readonly StoreCondition[], ev: TimelineEntry): readonly StoreCondition[] {
  if (ev.phase === 'info' || ENGINE_NOTES.has(ev.step)) return steps;
  const type = pascal(ev.step);
  const state = stepState(ev);
  const i = steps.findIndex((s) => s.type === type);
  const prev = i < 0 ? undefined : steps[i]!;
  const at = prev !== undefined && prev.status === state.status ? prev.lastTransitionTime : ev.at.toISOString();
  const next: StoreCondition = { type, ...state, lastTransitionTime: at };
  return i < 0 ? [...steps, next] : steps.map((s, j) => (j === i ? next : s));
}

/** The step conditions of a whole timeline (oldest first): what the store row stores. */
export function stepConditionsOf(events: readonly TimelineEntry[]): readonly StoreCondition[] {
  return events.reduce<readonly StoreCondition[]>((steps, ev) => nextStepConditions(steps, ev), []);
}

/** The step conditions, then `Ready` summarising them from the row's status (cheap, so never stored). */
export function withReady(row: ReadySource, steps: readonly StoreCondition[]): StoreCondition[] {
  return [...steps, readyOf(row, steps)];
}

/** One condition per provisioning step seen on the timeline, then `Ready`. Pure. */
export function conditionsOf(row: ReadySource, events: readonly TimelineEntry[]): StoreCondition[] {
  return withReady(row, stepConditionsOf(events));
}

function stepState(ev: TimelineEntry): Pick<StoreCondition, 'status' | 'reason' | 'message'> {
  switch (ev.phase) {
    case 'succeeded': return { status: 'True', reason: 'Succeeded', message: ev.message };
    case 'failed': return { status: 'False', reason: 'Failed', message: ev.message };
    case 'retrying': return { status: 'Unknown', reason: 'Retrying', message: ev.message };
    default: return { status: 'Unknown', reason: 'Progressing', message: ev.message };
  }
}

function readyOf(row: ReadySource, steps: readonly StoreCondition[]): StoreCondition {
  const at = row.updatedAt.toISOString();
  const done = steps.filter((s) => s.status === 'True').length;
  switch (row.status) {
    case 'Ready': return { type: 'Ready', status: 'True', reason: 'Ready', message: `${done} of ${steps.length} steps succeeded`, lastTransitionTime: at };
    case 'Failed': return { type: 'Ready', status: 'False', reason: 'StepFailed', message: row.statusReason ?? '', lastTransitionTime: at };
    case 'Suspended': return { type: 'Ready', status: 'False', reason: 'Suspended', message: 'the store is suspended: its maintenance page answers', lastTransitionTime: at };
    case 'Deleted': return { type: 'Ready', status: 'False', reason: 'Deleted', message: 'the store was deleted', lastTransitionTime: at };
    default: {
      const waiting = steps.find((s) => s.status !== 'True');
      const message = waiting ? `${done} of ${steps.length} steps succeeded; waiting for ${waiting.type}` : `${done} steps succeeded so far`;
      return { type: 'Ready', status: 'Unknown', reason: row.status, message, lastTransitionTime: at };
    }
  }
}

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

const ENGINE_NOTES = new Set<string>(Object.values(PLATFORM_STEPS));

const pascal = (step: string): string => step.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/**
 * One condition per provisioning step seen on the timeline (its latest started, retrying, succeeded or
 * failed entry), in first-seen order, then `Ready` summarising them from the row's status. Pure.
 */
export function conditionsOf(row: Pick<StoreRow, 'status' | 'statusReason' | 'updatedAt'>, events: readonly StoreEventRow[]): StoreCondition[] {
  const byStep = new Map<string, StoreCondition>();
  for (const ev of events) {
    if (ev.phase === 'info' || ENGINE_NOTES.has(ev.step)) continue;
    const next = stepState(ev);
    const prev = byStep.get(ev.step);
    const at = prev !== undefined && prev.status === next.status ? prev.lastTransitionTime : ev.at.toISOString();
    byStep.set(ev.step, { type: pascal(ev.step), ...next, lastTransitionTime: at });
  }
  const steps = [...byStep.values()];
  return [...steps, readyOf(row, steps)];
}

function stepState(ev: StoreEventRow): Pick<StoreCondition, 'status' | 'reason' | 'message'> {
  switch (ev.phase) {
    case 'succeeded': return { status: 'True', reason: 'Succeeded', message: ev.message };
    case 'failed': return { status: 'False', reason: 'Failed', message: ev.message };
    case 'retrying': return { status: 'Unknown', reason: 'Retrying', message: ev.message };
    default: return { status: 'Unknown', reason: 'Progressing', message: ev.message };
  }
}

function readyOf(row: Pick<StoreRow, 'status' | 'statusReason' | 'updatedAt'>, steps: readonly StoreCondition[]): StoreCondition {
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

import type { StoreStatus } from '../db/schema.js';
import { IllegalTransitionError } from '../errors.js';

/**
 * The store lifecycle, in one place. Everything that changes `stores.status` asks here first.
 *
 *   Pending ──► Provisioning ──► Ready ──► Provisioning (spec change)
 *      │             │   ▲          │ ▲
 *      │             │   │          ▼ │ (restored, or refused before writing)
 *      │             │   │       Restoring ──► Failed (the restore failed after it began writing)
 *      │             ▼   │ (retry)  │
 *      │          Failed ─► Pending │
 *      ▼             ▼              ▼
 *   Deleting ◄───────┴──────────────┘ ──► Deleted (terminal; name reusable)
 *
 * Restoring is maintenance: the app is scaled down while a backup is restored into the store. A delete
 * waits for it to end (409), so Restoring never moves to Deleting directly. A store Failed by a restore
 * may be restored again (Failed -> Restoring; the backup runner checks that the failed step was the restore).
 */
export const TRANSITIONS: Readonly<Record<StoreStatus, readonly StoreStatus[]>> = Object.freeze({
  Pending: ['Provisioning', 'Deleting'],
  Provisioning: ['Ready', 'Failed', 'Deleting'],
  Ready: ['Provisioning', 'Restoring', 'Deleting'],
  Restoring: ['Ready', 'Failed'],
  Failed: ['Pending', 'Restoring', 'Deleting'],
  Deleting: ['Deleted', 'Failed'],
  Deleted: [],
});

/** Actions a user may ask for, and the status each leads to. */
export type StoreAction = 'retry' | 'delete';

export function canTransition(from: StoreStatus, to: StoreStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError (409) naming both ends when the lifecycle forbids the move. */
export function assertTransition(from: StoreStatus, to: StoreStatus): void {
  if (!canTransition(from, to)) {
    throw new IllegalTransitionError(`cannot move a store from ${from} to ${to}`);
  }
}

/** Statuses the engine still has work for; re-queued on start-up (a Restoring store's restore is resumed by the backup runner). */
export const ACTIVE_STATUSES: readonly StoreStatus[] = ['Pending', 'Provisioning', 'Deleting'];

/** What a user action means from a given status; throws when it is not allowed. */
export function statusAfter(action: StoreAction, from: StoreStatus): StoreStatus {
  if (action === 'retry') {
    if (from !== 'Failed') throw new IllegalTransitionError(`only a Failed store can be retried (status is ${from})`);
    return 'Pending';
  }
  if (from === 'Deleting') return 'Deleting'; // repeat delete: idempotent, the engine is already on it
  if (from === 'Deleted') throw new IllegalTransitionError('the store is already deleted');
  assertTransition(from, 'Deleting');
  return 'Deleting';
}

import type { StoreStatus } from '../db/schema.js';
import { IllegalTransitionError } from '../errors.js';

/**
 * The store lifecycle, in one place. Everything that changes `stores.status` asks here first.
 *
 *   Pending ──► Provisioning ──► Ready ──► Provisioning (spec change)
 *                    │  └─(made from a backup)─► Restoring
 *                    │             ├──► Restoring ──► Ready (restored, or refused before writing)
 *                    │             │        └──► Failed (the restore failed after it began writing)
 *                    │             └──► Suspending ──► Suspended ──► Resuming ──► Ready (store check passed)
 *                    ▼                      │                           │
 *                  Failed ◄─────────────────┴───────────────────────────┘
 *                    │  retry: Pending, or Suspending / Resuming when that phase failed; a restore: Restoring
 *
 *   Ready ──upgrade──► Upgrading ──► Ready (the new release's Jobs and check passed, or refused before changing anything)
 *                          ├──► Restoring (rollback: the old release back, then its pre-upgrade backup) ──► Ready
 *                          └──► Failed (rollback impossible); retry: Upgrading, which rolls back again
 *
 *   Deleting ◄── every live status but Restoring and Upgrading;  Deleting ──► Deleted (terminal; name reusable)
 *   Deleting (soft-deleted, before its purge time) ──undelete──► Resuming ──► Ready, or ──► Suspended
 *
 * A delete of a Ready or Suspended store is soft when the platform keeps an undelete window: the store is
 * parked behind its maintenance page (the suspend steps) and stays Deleting, its name still its own, until
 * its purge time; an undelete before then brings it back to what it was (a Ready store through Resuming and
 * its check, a Suspended one as it is). At the purge time the namespace goes and the store is Deleted.
 *
 * An upgrade moves a store to another release of its engine (constructs/releases.ts) along a path the
 * catalogue allows, after a pre-upgrade backup. A delete waits for it (409), like a restore. A failed upgrade
 * rolls back: the old release's objects are applied again and, when a pre-upgrade backup was taken, it is
 * restored (Restoring), so the data is as it was before the new version's migrations touched it.
 *
 * Restoring is maintenance: the app is scaled down while a backup is restored into the store. A delete
 * waits for it to end (409), so Restoring never moves to Deleting directly. A store Failed by a restore
 * may be restored again (Failed -> Restoring; the backup runner checks that the failed step was the restore).
 * A store made from a backup (a clone, or a deleted store brought back) goes from Provisioning to
 * Restoring instead of Ready: it is Ready once the backup is in it and its check passed.
 */
export const TRANSITIONS: Readonly<Record<StoreStatus, readonly StoreStatus[]>> = Object.freeze({
  Pending: ['Provisioning', 'Deleting'],
  Provisioning: ['Ready', 'Restoring', 'Failed', 'Deleting'],
  Ready: ['Provisioning', 'Upgrading', 'Restoring', 'Suspending', 'Deleting'],
  Upgrading: ['Ready', 'Restoring', 'Failed'],
  Restoring: ['Ready', 'Failed'],
  Suspending: ['Suspended', 'Failed', 'Deleting'],
  Suspended: ['Resuming', 'Deleting'],
  Resuming: ['Ready', 'Failed', 'Deleting'],
  Failed: ['Pending', 'Upgrading', 'Restoring', 'Suspending', 'Resuming', 'Deleting'],
  Deleting: ['Deleted', 'Failed', 'Resuming', 'Suspended'],
  Deleted: [],
});

/** Actions a user may ask for, and the status each leads to. */
export type StoreAction = 'retry' | 'delete' | 'suspend' | 'resume' | 'upgrade';

/** Statuses whose delete is soft when an undelete window is kept: a store with its data in place. */
export const SOFT_DELETABLE: readonly StoreStatus[] = ['Ready', 'Suspended'];

/** Step names of the suspend and resume phases start with these (a retry re-runs the phase that failed). */
export const SUSPEND_STEP_PREFIX = 'suspend';
export const RESUME_STEP_PREFIX = 'resume';
export const UPGRADE_STEP_PREFIX = 'upgrade';

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
export const ACTIVE_STATUSES: readonly StoreStatus[] = ['Pending', 'Provisioning', 'Upgrading', 'Suspending', 'Resuming', 'Deleting'];

/**
 * Where a retry of a Failed store goes, from the step that failed: the phase that failed runs again
 * (a delete, a suspend, a resume), anything else provisions again from that step.
 */
export function retryStatus(failedStep: string | null): StoreStatus {
  if (failedStep === 'delete') return 'Deleting';
  if (failedStep?.startsWith(SUSPEND_STEP_PREFIX)) return 'Suspending';
  if (failedStep?.startsWith(RESUME_STEP_PREFIX)) return 'Resuming';
  if (failedStep?.startsWith(UPGRADE_STEP_PREFIX)) return 'Upgrading';
  return 'Pending';
}

/**
 * What a user action means from a given status; throws IllegalTransitionError (409) when it is not
 * allowed. Asking again for what is already under way (delete while Deleting, suspend while
 * Suspending, resume while Resuming) answers with the status it is in: the engine is already on it.
 */
export function statusAfter(action: StoreAction, from: StoreStatus, failedStep: string | null = null): StoreStatus {
  switch (action) {
    case 'retry':
      if (from !== 'Failed') throw new IllegalTransitionError(`only a Failed store can be retried (status is ${from})`);
      return retryStatus(failedStep);
    case 'suspend':
      if (from === 'Suspending' || from === 'Suspended') return from;
      if (from !== 'Ready') throw new IllegalTransitionError(`only a Ready store can be suspended (status is ${from})`);
      return 'Suspending';
    case 'resume':
      if (from === 'Resuming') return from;
      if (from !== 'Suspended') throw new IllegalTransitionError(`only a Suspended store can be resumed (status is ${from})`);
      return 'Resuming';
    case 'upgrade':
      if (from === 'Upgrading') return from;
      if (from !== 'Ready') throw new IllegalTransitionError(`only a Ready store can be upgraded (status is ${from})`);
      return 'Upgrading';
    case 'delete':
      if (from === 'Deleting') return 'Deleting'; // repeat delete: idempotent, the engine is already on it
      if (from === 'Deleted') throw new IllegalTransitionError('the store is already deleted');
      assertTransition(from, 'Deleting');
      return 'Deleting';
  }
}

/**
 * Where an undelete takes a store, or IllegalTransitionError (409) saying why it cannot: only a soft-deleted
 * store (Deleting with a purge time) before its purge time.
 */
export function undeleteStatus(row: { status: StoreStatus; purgeAt: Date | null; undeleteTo: 'Ready' | 'Suspended' | null }, now: Date): StoreStatus {
  if (row.status !== 'Deleting') throw new IllegalTransitionError(`only a deleted store can be undeleted (status is ${row.status})`);
  if (row.purgeAt === null || row.undeleteTo === null) throw new IllegalTransitionError('the store was deleted without an undelete window; it is being purged');
  if (row.purgeAt.getTime() <= now.getTime()) throw new IllegalTransitionError(`the store's undelete window ended at ${row.purgeAt.toISOString()}; it is being purged`);
  return row.undeleteTo === 'Suspended' ? 'Suspended' : 'Resuming';
}

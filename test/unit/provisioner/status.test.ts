import { describe, expect, it } from 'vitest';
import { STORE_STATUSES, type StoreStatus } from '../../../src/db/schema.js';
import { IllegalTransitionError } from '../../../src/errors.js';
import { ACTIVE_STATUSES, assertTransition, canTransition, retryStatus, statusAfter, TRANSITIONS, undeleteStatus } from '../../../src/provisioner/status.js';
import { RESUME_STEPS, SUSPEND_STEPS } from '../../../src/provisioner/suspend.js';

describe('store status machine', () => {
  it('allows the happy path Pending -> Provisioning -> Ready', () => {
    expect(canTransition('Pending', 'Provisioning')).toBe(true);
    expect(canTransition('Provisioning', 'Ready')).toBe(true);
  });

  it('allows failure, retry and deletion from every live status', () => {
    expect(canTransition('Provisioning', 'Failed')).toBe(true);
    expect(canTransition('Failed', 'Pending')).toBe(true);
    for (const s of ['Pending', 'Provisioning', 'Ready', 'Suspending', 'Suspended', 'Resuming', 'Failed'] as const) expect(canTransition(s, 'Deleting')).toBe(true);
    expect(canTransition('Deleting', 'Deleted')).toBe(true);
  });

  it('fails on skipping steps or leaving Deleted', () => {
    expect(canTransition('Pending', 'Ready')).toBe(false);
    expect(canTransition('Ready', 'Failed')).toBe(false);
    expect(canTransition('Deleting', 'Provisioning')).toBe(false);
    for (const to of STORE_STATUSES) expect(canTransition('Deleted', to)).toBe(false);
  });

  it('fails with IllegalTransitionError naming both ends', () => {
    expect(() => assertTransition('Deleted', 'Pending')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('Ready', 'Pending')).toThrow(/from Ready to Pending/);
  });

  it('never lets a status move to itself', () => {
    for (const s of STORE_STATUSES) expect(TRANSITIONS[s]).not.toContain(s);
  });

  it('makes every status reachable from Pending and Deleted reachable from every live status', () => {
    const reach = (from: StoreStatus): Set<StoreStatus> => {
      const seen = new Set<StoreStatus>([from]);
      const todo = [from];
      while (todo.length) for (const n of TRANSITIONS[todo.pop()!]) if (!seen.has(n)) { seen.add(n); todo.push(n); }
      return seen;
    };
    expect([...reach('Pending')].sort()).toEqual([...STORE_STATUSES].sort());
    for (const s of STORE_STATUSES.filter((x) => x !== 'Deleted')) expect(reach(s).has('Deleted')).toBe(true);
  });

  it('suspends Ready -> Suspending -> Suspended and resumes Suspended -> Resuming -> Ready', () => {
    expect(TRANSITIONS.Ready).toContain('Suspending');
    expect(TRANSITIONS.Suspending).toEqual(['Suspended', 'Failed', 'Deleting']);
    expect(TRANSITIONS.Suspended).toEqual(['Resuming', 'Deleting']);
    expect(TRANSITIONS.Resuming).toEqual(['Ready', 'Failed', 'Deleting']);
    expect(statusAfter('suspend', 'Ready')).toBe('Suspending');
    expect(statusAfter('resume', 'Suspended')).toBe('Resuming');
  });

  it('fails on skipping the suspend and resume phases', () => {
    expect(canTransition('Ready', 'Suspended')).toBe(false);
    expect(canTransition('Suspended', 'Ready')).toBe(false);
    expect(canTransition('Suspending', 'Ready')).toBe(false);
    expect(canTransition('Suspended', 'Provisioning')).toBe(false);
    expect(canTransition('Suspended', 'Failed')).toBe(false);
    expect(canTransition('Resuming', 'Suspended')).toBe(false);
  });

  it('treats a repeated suspend or resume as a no-op', () => {
    expect(statusAfter('suspend', 'Suspending')).toBe('Suspending');
    expect(statusAfter('suspend', 'Suspended')).toBe('Suspended');
    expect(statusAfter('resume', 'Resuming')).toBe('Resuming');
  });

  it.each(['Pending', 'Provisioning', 'Resuming', 'Failed', 'Deleting', 'Deleted'] as const)('fails to suspend a %s store with a 409', (from) => {
    expect(() => statusAfter('suspend', from)).toThrow(IllegalTransitionError);
    expect(() => statusAfter('suspend', from)).toThrow(`only a Ready store can be suspended (status is ${from})`);
  });

  it.each(['Pending', 'Provisioning', 'Ready', 'Suspending', 'Failed', 'Deleting', 'Deleted'] as const)('fails to resume a %s store with a 409', (from) => {
    expect(() => statusAfter('resume', from)).toThrow(IllegalTransitionError);
    expect(new IllegalTransitionError('x').statusCode).toBe(409);
    expect(() => statusAfter('resume', from)).toThrow(`only a Suspended store can be resumed (status is ${from})`);
  });

  it('deletes a Suspended store, and one mid-suspend or mid-resume', () => {
    for (const s of ['Suspending', 'Suspended', 'Resuming'] as const) expect(statusAfter('delete', s)).toBe('Deleting');
  });

  it('retries a failed suspend or resume by running that phase again', () => {
    for (const step of Object.values(SUSPEND_STEPS)) expect(statusAfter('retry', 'Failed', step.name)).toBe('Suspending');
    for (const step of Object.values(RESUME_STEPS)) expect(statusAfter('retry', 'Failed', step.name)).toBe('Resuming');
    expect(retryStatus('suspend')).toBe('Suspending');
    expect(retryStatus('resume')).toBe('Resuming');
    expect(retryStatus('delete')).toBe('Deleting');
    expect(retryStatus('store-check')).toBe('Pending');
    expect(retryStatus(null)).toBe('Pending');
    for (const to of ['Suspending', 'Resuming', 'Deleting', 'Pending'] as const) expect(canTransition('Failed', to)).toBe(true);
  });

  it('retries only Failed stores', () => {
    expect(statusAfter('retry', 'Failed')).toBe('Pending');
    for (const s of ['Pending', 'Provisioning', 'Ready', 'Suspending', 'Suspended', 'Resuming', 'Deleting', 'Deleted'] as const) {
      expect(() => statusAfter('retry', s)).toThrow(IllegalTransitionError);
    }
  });

  it('treats a repeated delete as a no-op and refuses deleting a Deleted store', () => {
    expect(statusAfter('delete', 'Ready')).toBe('Deleting');
    expect(statusAfter('delete', 'Deleting')).toBe('Deleting');
    expect(() => statusAfter('delete', 'Deleted')).toThrow(/already deleted/);
  });

  it('enters Restoring only from Ready, Failed (after a failed restore) or Provisioning (a store made from a backup) and leaves it for Ready or Failed only', () => {
    // Provisioning: a store made from a backup restores it before it is Ready
    // Upgrading: a failed upgrade's rollback restores its pre-upgrade backup
    for (const s of STORE_STATUSES) expect(canTransition(s, 'Restoring'), s).toBe(s === 'Ready' || s === 'Failed' || s === 'Provisioning' || s === 'Upgrading');
    expect([...TRANSITIONS.Restoring].sort()).toEqual(['Failed', 'Ready']);
    // a delete waits for the restore to end
    expect(() => statusAfter('delete', 'Restoring')).toThrow(/from Restoring to Deleting/);
    expect(() => statusAfter('retry', 'Restoring')).toThrow(IllegalTransitionError);
  });

  it('undeletes a soft-deleted store before its purge time only, back to Resuming (it was Ready) or Suspended', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const later = new Date(now.getTime() + 1);
    expect(undeleteStatus({ status: 'Deleting', purgeAt: later, undeleteTo: 'Ready' }, now)).toBe('Resuming');
    expect(undeleteStatus({ status: 'Deleting', purgeAt: later, undeleteTo: 'Suspended' }, now)).toBe('Suspended');
    expect(() => undeleteStatus({ status: 'Deleting', purgeAt: now, undeleteTo: 'Ready' }, now)).toThrow("the store's undelete window ended at 2026-12-03T12:00:00.000Z; it is being purged");
    expect(() => undeleteStatus({ status: 'Deleting', purgeAt: null, undeleteTo: null }, now)).toThrow(/deleted without an undelete window/);
    for (const status of STORE_STATUSES.filter((s) => s !== 'Deleting')) {
      expect(() => undeleteStatus({ status, purgeAt: later, undeleteTo: 'Ready' }, now), status).toThrow(IllegalTransitionError);
    }
    // the moves an undelete makes are the lifecycle's own, and Deleting leads nowhere else
    expect(canTransition('Deleting', 'Resuming') && canTransition('Deleting', 'Suspended')).toBe(true);
    expect([...TRANSITIONS.Deleting].sort()).toEqual(['Deleted', 'Failed', 'Resuming', 'Suspended']);
  });

  it('re-queues exactly the statuses with unfinished work', () => {
    expect([...ACTIVE_STATUSES].sort()).toEqual(['Deleting', 'Pending', 'Provisioning', 'Resuming', 'Suspending', 'Upgrading']);
  });

  it('upgrades only a Ready store; it ends Ready, rolled back through Restoring, or Failed, and is never deleted midway', () => {
    for (const s of STORE_STATUSES) expect(canTransition(s, 'Upgrading'), s).toBe(s === 'Ready' || s === 'Failed');
    expect([...TRANSITIONS.Upgrading].sort()).toEqual(['Failed', 'Ready', 'Restoring']);
    expect(statusAfter('upgrade', 'Ready')).toBe('Upgrading');
    expect(statusAfter('upgrade', 'Upgrading')).toBe('Upgrading');
    for (const s of STORE_STATUSES.filter((x) => x !== 'Ready' && x !== 'Upgrading')) {
      expect(() => statusAfter('upgrade', s), s).toThrow(`only a Ready store can be upgraded (status is ${s})`);
    }
    // a delete waits for the upgrade (and its rollback) to end
    expect(() => statusAfter('delete', 'Upgrading')).toThrow(/from Upgrading to Deleting/);
    // a rollback that failed is retried as an upgrade phase, which rolls back again
    expect(retryStatus('upgrade-rollback')).toBe('Upgrading');
  });
});

import type { StoreRow } from '../db/repos/stores-repo.js';
import { CancelledError, deleteNamespaceAndWait, sleep, type NamespaceDeleteResult } from '../k8s/index.js';
import { messageOf, timelineCall, type ReconcilerDeps, type PhaseRun } from './phase.js';
import { parkStore } from './suspend.js';
import { PLATFORM_STEPS } from './timeline.js';

// Teardown: deleting a store and tearing down a failed one share one namespace-delete path.

/**
 * Deletes the store's namespace with foreground propagation and waits until the API server reports it
 * gone. A namespace that is not ours is left alone.
 */
function deleteNamespaceOf(d: ReconcilerDeps, row: StoreRow, step: string, signal: AbortSignal): Promise<NamespaceDeleteResult> {
  const who = d.identity(row);
  return deleteNamespaceAndWait(d.kube, {
    name: who.namespace, owner: who.owner, timeoutSeconds: d.options.deleteTimeoutSeconds,
  }, timelineCall(d, row.id, step, signal));
}

/**
 * Deleting -> Deleted once the namespace is gone (Failed if it cannot be deleted). A soft delete before its
 * purge time parks the store instead (suspend.ts) and stays Deleting; the purge scheduler brings it back here
 * when the time comes. Owns its errors.
 */
export async function deleteStore(d: ReconcilerDeps, row: StoreRow, run: PhaseRun): Promise<void> {
  const { timeline, status, log: rootLog } = d;
  const log = rootLog.child({ storeId: row.id, slug: row.slug });
  const { signal } = run;
  const t0 = Date.now();
  const ns = d.identity(row).namespace;
  if (run.recovered) timeline.record(row.id, PLATFORM_STEPS.delete, 'info', 'Resumed deletion after an engine restart');
  try {
    if (row.finalBackupId !== null && !await finalBackupDone(d, row, row.finalBackupId, signal)) return;
    if (row.purgeAt !== null && row.purgeAt.getTime() > d.now().getTime()) {
      await parkStore(d, row, run);
      return;
    }
    timeline.record(row.id, PLATFORM_STEPS.delete, 'started', `Deleting namespace ${ns} (foreground propagation)`);
    const result = await deleteNamespaceOf(d, row, PLATFORM_STEPS.delete, signal);
    const msg = result === 'deleted' ? `Namespace ${ns} and everything in it are gone`
      : result === 'absent' ? `Namespace ${ns} was already gone`
        : `Namespace ${ns} is not managed by this store; left in place`;
    const deleted = status.transition(row.id, 'Deleted', { deletedAt: new Date(), undeleteTo: null }, {
      step: PLATFORM_STEPS.delete, phase: 'succeeded', message: msg, durationMs: Date.now() - t0,
    });
    if (deleted) log.info({ namespace: ns, result }, 'Store deleted');
  } catch (err) {
    if (err instanceof CancelledError || signal.aborted) {
      timeline.record(row.id, PLATFORM_STEPS.delete, 'info', err instanceof CancelledError && err.why === 'undelete'
        ? 'Delete cancelled: the store is being undeleted'
        : 'Interrupted by engine shutdown; the next start resumes the deletion');
      return;
    }
    const reason = messageOf(err);
    timeline.record(row.id, PLATFORM_STEPS.delete, 'failed', reason, { durationMs: Date.now() - t0 });
    log.warn({ reason }, 'Delete failed');
    status.transition(row.id, 'Failed', { failedStep: PLATFORM_STEPS.delete, statusReason: `Delete: ${reason}` });
  }
}

/**
 * Waits for the store's final backup (the backup runner runs it). Succeeded: true, the delete goes on and
 * the backup row stays listed after the store is Deleted. Failed: the store is Failed at `delete` with the
 * backup's reason and keeps its namespace; a new delete takes a new final backup (or skips it).
 */
async function finalBackupDone(d: ReconcilerDeps, row: StoreRow, backupId: string, signal: AbortSignal): Promise<boolean> {
  let announced = false;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
    const b = d.backups.find(backupId);
    if (b === undefined || b.status === 'Succeeded') {
      const msg = b ? `Final backup ${backupId} taken; it stays listed after the store is deleted` : `Final backup ${backupId} not found; deleting without it`;
      // a soft-deleted store comes here again at its purge: say it once
      if (!d.events.list(row.id).some((e) => e.step === PLATFORM_STEPS.delete && e.message === msg)) d.timeline.record(row.id, PLATFORM_STEPS.delete, 'info', msg);
      return true;
    }
    if (b.status === 'Failed') {
      const reason = `Final backup ${backupId} failed at ${b.errorStep ?? 'backup'}: ${b.errorReason ?? 'unknown reason'}; the store was not deleted (delete again to take another, or with ?skipFinalBackup=true to delete without one)`;
      d.timeline.record(row.id, PLATFORM_STEPS.delete, 'failed', reason);
      d.status.transition(row.id, 'Failed', { failedStep: PLATFORM_STEPS.delete, statusReason: `Delete: ${reason}`, finalBackupId: null });
      return false;
    }
    if (!announced) {
      d.timeline.record(row.id, PLATFORM_STEPS.delete, 'info', `Waiting for the final backup ${backupId} before deleting anything`);
      announced = true;
    }
    await sleep(delay, signal);
  }
}

/** Teardown on failure: removes a Failed store's namespace; the store stays Failed, its reason says so. */
export async function teardownFailed(d: ReconcilerDeps, row: StoreRow, run: PhaseRun): Promise<void> {
  const { timeline, status } = d;
  const { signal } = run;
  const t0 = Date.now();
  timeline.record(row.id, PLATFORM_STEPS.teardown, 'started', 'Tearing down the failed store (teardown on failure is on)');
  try {
    const result = await deleteNamespaceOf(d, row, PLATFORM_STEPS.teardown, signal);
    timeline.record(row.id, PLATFORM_STEPS.teardown, 'succeeded', result === 'foreign'
      ? 'Namespace is not managed by this store; left in place' : 'Namespace removed', { durationMs: Date.now() - t0 });
    status.amend(row.id, 'Failed', (cur) => ({ statusReason: `${cur.statusReason ?? ''} (resources torn down)` }));
  } catch (err) {
    if (err instanceof CancelledError || signal.aborted) return;
    timeline.record(row.id, PLATFORM_STEPS.teardown, 'failed', messageOf(err), { durationMs: Date.now() - t0 });
  }
}

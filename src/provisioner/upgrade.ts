import type { StoreRow } from '../db/repos/stores-repo.js';
import type { Logger } from '../logger.js';
import { recordedRelease, releaseOfRow, type DesiredState } from '../manifests/desired.js';
import { CancelledError, deleteJobAndWait, ensureObject, sleep, withRetry, type CallOptions } from '../k8s/index.js';
import { messageOf, timelineCall, type PhaseRun, type ReconcilerDeps } from './phase.js';
import { StepError, walkSteps } from './provision.js';
import { ROLLBACK_REASON } from './backups.js';
import { PLATFORM_STEPS } from './timeline.js';

// An upgrade moves a Ready store to another release of its engine. The row already names the new release
// (`release`, null for the base one) and the one it leaves (`upgradeFrom`); a row whose release is back on
// `upgradeFrom` is rolling back. The phase works with the release's name (never null). Level-triggered like provisioning: every part can run again, so an engine restart
// anywhere walks the upgrade (or the rollback) again from its start.
//
// The upgrade: wait for the pre-upgrade backup; replace the store's Jobs (the setup Job migrates the data
// to the new version, the check proves the store still takes an order); server-side apply every step on
// the new release and wait for each. Any step failing rolls back: the old release's Jobs go, its objects
// are applied again and the pre-upgrade backup is restored (Restoring), or, with no backup, its steps are
// walked again with their Jobs and check.

/** Deletes every Job of the desired state, so the walk creates and runs each again. */
async function replaceJobs(d: ReconcilerDeps, desired: DesiredState, call: CallOptions): Promise<string[]> {
  const jobs = desired.steps.flatMap((s) => s.objects).filter((o) => o.kind === 'Job').map((o) => o.metadata.name);
  for (const name of jobs) await deleteJobAndWait(d.kube, { namespace: desired.namespace, name }, call);
  return jobs;
}

/** Runs the upgrade, or the rollback, its row asks for. Owns its errors. */
export async function upgradeStore(d: ReconcilerDeps, initial: StoreRow, run: PhaseRun): Promise<void> {
  const row = { ...initial, release: releaseOfRow(initial, d.platform) };
  const log = d.log.child({ storeId: row.id, slug: row.slug });
  if (row.upgradeFrom === null) {
    // nothing to upgrade from (a row edited by hand): the store is as it is
    d.status.transition(row.id, 'Ready', { statusReason: null }, { step: PLATFORM_STEPS.upgrade, phase: 'info', message: 'No upgrade recorded; the store is Ready as it is' });
    return;
  }
  try {
    if (row.release === row.upgradeFrom) {
      await rollBack(d, row, run, log);
      return;
    }
    if (row.upgradeBackupId !== null && !await backupTaken(d, row, row.upgradeBackupId, run.signal)) return;
    await upgrade(d, row, run, log);
  } catch (err) {
    if (err instanceof CancelledError || run.signal.aborted) {
      d.timeline.record(row.id, PLATFORM_STEPS.upgrade, 'info', 'Interrupted by engine shutdown; the next start runs the upgrade again');
      return;
    }
    const reason = messageOf(err);
    d.timeline.record(row.id, PLATFORM_STEPS.rollback, 'failed', reason);
    log.warn({ reason }, 'Rollback failed');
    d.status.transition(row.id, 'Failed', { failedStep: PLATFORM_STEPS.rollback, statusReason: `Rollback to ${row.upgradeFrom}: ${reason}` });
  }
}

/**
 * Waits for the pre-upgrade backup. A failed one refuses the upgrade before anything changed: the store
 * goes back to Ready on its old release and says why (false).
 */
async function backupTaken(d: ReconcilerDeps, row: StoreRow, backupId: string, signal: AbortSignal): Promise<boolean> {
  let announced = false;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
    const b = d.backups.find(backupId);
    if (b === undefined || b.status === 'Succeeded') return true;
    if (b.status === 'Failed') {
      const reason = `Upgrade to ${row.release} refused: the pre-upgrade backup ${backupId} failed at ${b.errorStep ?? 'backup'}: ${b.errorReason ?? 'unknown reason'}; nothing was changed`;
      d.status.transition(row.id, 'Ready', { release: recordedRelease(row.engine, row.upgradeFrom!, d.platform), upgradeFrom: null, upgradeBackupId: null, statusReason: reason }, {
        step: PLATFORM_STEPS.upgrade, phase: 'failed', message: reason,
      });
      return false;
    }
    if (!announced) {
      d.timeline.record(row.id, PLATFORM_STEPS.upgrade, 'info', `Waiting for the pre-upgrade backup ${backupId}`);
      announced = true;
    }
    await sleep(delay, signal);
  }
}

async function upgrade(d: ReconcilerDeps, row: StoreRow, run: PhaseRun, log: Logger): Promise<void> {
  const t0 = Date.now();
  const from = row.upgradeFrom!;
  d.timeline.record(row.id, PLATFORM_STEPS.upgrade, 'started', `${run.recovered ? 'Resumed after an engine restart: upgrading' : 'Upgrading'} ${row.engine} ${from} -> ${row.release}`);
  try {
    const desired = d.desired(row);
    const jobs = await replaceJobs(d, desired, timelineCall(d, row.id, PLATFORM_STEPS.upgrade, run.signal, log));
    d.timeline.record(row.id, PLATFORM_STEPS.upgrade, 'info', `Jobs replaced (${jobs.join(', ')}); applying every step on ${row.release}`);
    await walkSteps(d, row, desired, 'apply', run.signal, log);
  } catch (err) {
    if (err instanceof CancelledError || run.signal.aborted) throw err;
    const at = err instanceof StepError ? err.step.name : PLATFORM_STEPS.upgrade;
    const reason = `${row.engine} ${row.release} failed at ${at}: ${err instanceof StepError ? err.reason : messageOf(err)}`;
    d.timeline.record(row.id, PLATFORM_STEPS.upgrade, 'failed', `${reason}; rolling back to ${from}`, { durationMs: Date.now() - t0 });
    log.warn({ step: at, reason }, 'Upgrade failed; rolling back');
    const back = d.status.amend(row.id, 'Upgrading', () => ({ release: recordedRelease(row.engine, from, d.platform), statusReason: `Rolling back: ${reason}` }));
    if (back) await rollBack(d, { ...back, release: from }, run, log, reason);
    return;
  }
  const ready = d.status.transition(row.id, 'Ready', { upgradeFrom: null, upgradeBackupId: null, statusReason: null }, {
    step: PLATFORM_STEPS.upgrade, phase: 'succeeded', message: `Upgraded ${row.engine} ${from} -> ${row.release}; the store check passed`, durationMs: Date.now() - t0,
  });
  if (ready) log.info({ from, to: row.release, durationMs: Date.now() - t0 }, 'Store upgraded');
}

/** The store on its old release again; its data from the pre-upgrade backup when one was taken. Throws when it cannot. */
async function rollBack(d: ReconcilerDeps, row: StoreRow, run: PhaseRun, log: Logger, why = row.statusReason ?? 'the upgrade failed'): Promise<void> {
  const t0 = Date.now();
  const call = timelineCall(d, row.id, PLATFORM_STEPS.rollback, run.signal, log);
  d.timeline.record(row.id, PLATFORM_STEPS.rollback, 'started', `Rolling back to ${row.engine} ${row.release}`);
  const desired = d.desired(row);
  await replaceJobs(d, desired, call);
  if (row.upgradeBackupId !== null && d.backups.find(row.upgradeBackupId)?.status === 'Succeeded') {
    // the old images first (no wait: the restore scales the app down, then up on them)
    for (const obj of desired.steps.flatMap((s) => s.objects)) {
      if (obj.kind !== 'Job') await withRetry(() => ensureObject(d.kube.objects, obj, desired.owner, 'apply'), call);
    }
    d.timeline.record(row.id, PLATFORM_STEPS.rollback, 'succeeded', `Objects of ${row.release} applied again; restoring the pre-upgrade backup ${row.upgradeBackupId}`, { durationMs: Date.now() - t0 });
    d.rollbackRestore(row, row.upgradeBackupId, why);
    return;
  }
  try {
    await walkSteps(d, row, desired, 'apply', run.signal, log);
  } catch (err) {
    if (err instanceof StepError) throw new Error(`${err.step.name}: ${err.reason}`, { cause: err });
    throw err;
  }
  d.status.transition(row.id, 'Ready', { upgradeFrom: null, upgradeBackupId: null, statusReason: `${ROLLBACK_REASON} to ${row.release} (${why}); no pre-upgrade backup was taken, the data is as the failed upgrade left it` }, {
    step: PLATFORM_STEPS.rollback, phase: 'succeeded', message: `Rolled back to ${row.engine} ${row.release}; the store check passed`, durationMs: Date.now() - t0,
  });
}

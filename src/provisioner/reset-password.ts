import type { PlatformSettings } from '../../constructs/index.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import { NotFoundError } from '../errors.js';
import {
  createIfAbsent, deleteJob, interactive, listJobNames, patchSecretData, readSecretData, waitForReady, withRetry,
  type InteractiveLimits, type KubeClients, type SecretRef,
} from '../k8s/index.js';
import { generateAdminPassword } from '../manifests/secrets.js';
import { engineOfRow, identityOf, specOf } from '../manifests/desired.js';

const RESET_TIMEOUT_SECONDS = 300;

export interface PasswordResetResult {
  readonly username: string;
  readonly password: string;
  /** Old reset Jobs could not be removed; the new password is live regardless. */
  readonly cleanupError?: string;
}

/**
 * Writes a new password into the store's admin Secret (named by its engine) and runs the engine's
 * one-off Job that applies it. The Secret is restored if the Job fails, so it never disagrees with the
 * store. The new password is returned to the caller once and kept nowhere else. Every call before and
 * after the Job has the interactive deadline (`limits`); waiting for the Job has its own timeout, each
 * poll bounded by the same deadline so an outage cannot hold one poll for a minute.
 */
export async function resetAdminPassword(
  kube: KubeClients,
  options: { readonly platform: PlatformSettings; readonly limits: InteractiveLimits },
  row: StoreRow,
  now = Date.now(),
): Promise<PasswordResetResult> {
  const { namespace, owner } = identityOf(row);
  const { limits } = options;
  const engine = engineOfRow(row);
  const { admin } = engine;
  const secret = { namespace, name: admin.secretName };
  const start = interactive(kube, { ...limits, maxAttempts: 5 });
  const before = await readSecretData(start.kube, secret, start.call);
  if (before === undefined) throw new NotFoundError(`store '${row.id}' has no administrator Secret yet`);
  const username = before[admin.usernameKey] ?? '';
  const previous = before[admin.passwordKey];
  const password = generateAdminPassword();
  await patchSecretData(start.kube, secret, { [admin.passwordKey]: password }, start.call);

  // each reset gets its own Job: Jobs are immutable and the previous one may still be listed
  const jobName = `${engine.resetJobPrefix}${now.toString(36)}`;
  const job = engine.resetPasswordJob(row.slug, { spec: specOf(row), platform: options.platform, jobName });
  try {
    await withRetry(() => createIfAbsent(start.kube.objects, job, owner), start.call);
    const polls = kube.bounded({ requestTimeoutMs: limits.timeoutMs });
    await waitForReady(polls.objects, { name: 'reset-admin-password', objects: [job], readiness: { kind: 'JobComplete', namespace, name: jobName } }, {
      deadline: Date.now() + RESET_TIMEOUT_SECONDS * 1000, timeoutSeconds: RESET_TIMEOUT_SECONDS, retry: limits.policy,
    });
  } catch (err) {
    if (previous !== undefined) await restore(kube, limits, secret, { [admin.passwordKey]: previous }, err);
    throw err;
  }
  // the new password is live from here on: a failed cleanup must not hide it from the caller
  try {
    await deleteOlderResetJobs(kube, limits, namespace, engine.resetJobPrefix, jobName);
    return { username, password };
  } catch (err) {
    return { username, password, cleanupError: (err as Error).message };
  }
}

/** Puts the old password back; if that fails too, the error names both failures and keeps the first as cause. */
async function restore(kube: KubeClients, limits: InteractiveLimits, secret: SecretRef, previous: Record<string, string>, original: unknown): Promise<void> {
  const op = interactive(kube, { ...limits, maxAttempts: 5 });
  try {
    await patchSecretData(op.kube, secret, previous, op.call);
  } catch (restoreErr) {
    throw new Error(`${(original as Error).message}; restoring the previous password also failed: ${(restoreErr as Error).message}`, { cause: original });
  }
}

async function deleteOlderResetJobs(kube: KubeClients, limits: InteractiveLimits, namespace: string, prefix: string, keep: string): Promise<void> {
  const op = interactive(kube, { ...limits, maxAttempts: 5 });
  const names = await listJobNames(op.kube, { namespace, prefix }, op.call);
  for (const name of names) if (name !== keep) await deleteJob(op.kube, { namespace, name }, op.call);
}

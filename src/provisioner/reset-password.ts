import type { PlatformSettings } from '../../constructs/index.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import { NotFoundError } from '../errors.js';
import {
  createIfAbsent, deleteJob, interactive, listJobNames, patchSecretData, readSecretData, waitForReady, withRetry,
  type CallOptions, type KubeClients, type RetryPolicy,
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
 * store. The new password is returned to the caller once and kept nowhere else.
 */
export async function resetAdminPassword(
  kube: KubeClients,
  options: { readonly platform: PlatformSettings; readonly retry: RetryPolicy },
  row: StoreRow,
  now = Date.now(),
): Promise<PasswordResetResult> {
  const { namespace, owner } = identityOf(row);
  const call = interactive(options.retry, 5);
  const engine = engineOfRow(row);
  const { admin } = engine;
  const secret = { namespace, name: admin.secretName };
  const before = await readSecretData(kube, secret, call);
  if (before === undefined) throw new NotFoundError(`store '${row.id}' has no administrator Secret yet`);
  const username = before[admin.usernameKey] ?? '';
  const previous = before[admin.passwordKey];
  const password = generateAdminPassword();
  await patchSecretData(kube, secret, { [admin.passwordKey]: password }, call);

  // each reset gets its own Job: Jobs are immutable and the previous one may still be listed
  const jobName = `${engine.resetJobPrefix}${now.toString(36)}`;
  const job = engine.resetPasswordJob(row.slug, { spec: specOf(row), platform: options.platform, jobName });
  try {
    await withRetry(() => createIfAbsent(kube.objects, job, owner), call);
    await waitForReady(kube.objects, { name: 'reset-admin-password', objects: [job], readiness: { kind: 'JobComplete', namespace, name: jobName } }, {
      deadline: Date.now() + RESET_TIMEOUT_SECONDS * 1000, timeoutSeconds: RESET_TIMEOUT_SECONDS,
    });
  } catch (err) {
    if (previous !== undefined) await restore(kube, secret, { [admin.passwordKey]: previous }, call, err);
    throw err;
  }
  // the new password is live from here on: a failed cleanup must not hide it from the caller
  try {
    await deleteOlderResetJobs(kube, namespace, engine.resetJobPrefix, jobName, call);
    return { username, password };
  } catch (err) {
    return { username, password, cleanupError: (err as Error).message };
  }
}

/** Puts the old password back; if that fails too, the error names both failures and keeps the first as cause. */
async function restore(kube: KubeClients, secret: { namespace: string; name: string }, previous: Record<string, string>, call: CallOptions, original: unknown): Promise<void> {
  try {
    await patchSecretData(kube, secret, previous, call);
  } catch (restoreErr) {
    throw new Error(`${(original as Error).message}; restoring the previous password also failed: ${(restoreErr as Error).message}`, { cause: original });
  }
}

async function deleteOlderResetJobs(kube: KubeClients, namespace: string, prefix: string, keep: string, call: CallOptions): Promise<void> {
  const names = await listJobNames(kube, { namespace, prefix }, call);
  for (const name of names) if (name !== keep) await deleteJob(kube, { namespace, name }, call);
}

import { PatchStrategy } from '@kubernetes/client-node';
import { ADMIN_SECRET_KEYS, OBJECT_NAMES, buildResetPasswordJob, type PlatformSettings } from '../../constructs/index.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import type { KubeClients } from '../k8s/client.js';
import { createIfAbsent } from '../k8s/apply.js';
import { KubeApiError } from '../k8s/errors.js';
import { waitForReady } from '../k8s/readiness.js';
import { generateAdminPassword } from '../manifests/secrets.js';
import { withRetry, type RetryPolicy } from './backoff.js';
import { identityOf, specOf } from './desired.js';

const RESET_TIMEOUT_SECONDS = 300;

/**
 * Writes a new password into the store's `wordpress-admin` Secret and runs the one-off wp-cli Job that
 * applies it. The Secret is restored if the Job fails, so it never disagrees with WordPress. The new
 * password is returned to the caller once and kept nowhere else.
 */
export async function resetAdminPassword(
  kube: KubeClients,
  options: { readonly platform: PlatformSettings; readonly retry: RetryPolicy },
  row: StoreRow,
  now = Date.now(),
): Promise<{ username: string; password: string }> {
  const { namespace, owner } = identityOf(row);
  const retry = <T>(fn: () => Promise<T>): Promise<T> => withRetry(async () => {
    try {
      return await fn();
    } catch (err) {
      throw KubeApiError.from(err);
    }
  }, { policy: { ...options.retry, maxAttempts: 5 } });

  const secretRef = { apiVersion: 'v1', kind: 'Secret', metadata: { name: OBJECT_NAMES.adminSecret, namespace } };
  const before = await retry(() => kube.core.readNamespacedSecret({ name: OBJECT_NAMES.adminSecret, namespace }));
  const username = Buffer.from(before.data?.[ADMIN_SECRET_KEYS.username] ?? '', 'base64').toString('utf8');
  const previous = before.data?.[ADMIN_SECRET_KEYS.password];
  const password = generateAdminPassword();
  const writePassword = (data: Record<string, string>) => retry(() => kube.objects.patch(
    { ...secretRef, data }, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch,
  ));
  await writePassword({ [ADMIN_SECRET_KEYS.password]: Buffer.from(password, 'utf8').toString('base64') });

  // each reset gets its own Job: Jobs are immutable and the previous one may still be listed
  const jobName = `${OBJECT_NAMES.resetPasswordJob}-${now.toString(36)}`;
  const job = buildResetPasswordJob(row.slug, { spec: specOf(row), platform: options.platform, jobName });
  try {
    await retry(() => createIfAbsent(kube.objects, job, owner));
    await waitForReady(kube.objects, { name: 'reset-admin-password', objects: [job], readiness: { kind: 'JobComplete', namespace, name: jobName } }, {
      deadline: Date.now() + RESET_TIMEOUT_SECONDS * 1000, timeoutSeconds: RESET_TIMEOUT_SECONDS,
    });
  } catch (err) {
    if (previous !== undefined) await writePassword({ [ADMIN_SECRET_KEYS.password]: previous });
    throw err;
  }
  await deleteOlderResetJobs(kube, namespace, jobName);
  return { username, password };
}

async function deleteOlderResetJobs(kube: KubeClients, namespace: string, keep: string): Promise<void> {
  const jobs = await kube.batch.listNamespacedJob({ namespace });
  for (const j of jobs.items) {
    const name = j.metadata?.name ?? '';
    if (name === keep || !name.startsWith(`${OBJECT_NAMES.resetPasswordJob}-`)) continue;
    try {
      await kube.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' });
    } catch (err) {
      if (KubeApiError.from(err).status !== 404) throw KubeApiError.from(err);
    }
  }
}

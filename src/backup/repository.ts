import { BACKUP_NAMES, BACKUP_SECRET_KEYS, backupCredentialsSecret, backupRepositorySecret, backupSourceSecret, namespaceFor } from '../../constructs/index.js';
import type { BackupSettings } from '../config.js';
import { createIfAbsent, deleteOwnedObject, patchSecretData, readSecretData, withRetry, type CallOptions, type KubeClients } from '../k8s/index.js';
import { ownerLabels } from '../manifests/desired.js';
import { generateBackupPassword } from '../manifests/secrets.js';
import { PasswordEscrow } from './escrow.js';

/** How the store's repository password was found. */
export type PasswordSource = 'store' | 'escrow' | 'new';

/**
 * The two Secrets a store's backup and restore Jobs read, before every run:
 * - `backup-repository`: the store's restic password. Kept when it is there (and escrowed if the escrow
 *   lacks it); otherwise recovered from the escrow (the namespace or the Secret was lost, or a new store
 *   reuses a deleted one's name and so its repository); otherwise drawn here, escrowed first, then written,
 *   so there is never a repository whose password only a namespace holds.
 * - `backup-target`: the platform's S3 keys, rewritten every time so a rotated key reaches the Jobs.
 * A store password that differs from the escrowed one is refused: one of them locks a repository.
 */
export async function ensureRepositorySecrets(
  kube: KubeClients, settings: Pick<BackupSettings, 'credentials' | 'escrow'>, slug: string, call: CallOptions,
): Promise<PasswordSource> {
  const namespace = namespaceFor(slug);
  const owner = ownerLabels(slug);
  const escrow = new PasswordEscrow(kube, settings.escrow);
  const ref = { namespace, name: BACKUP_NAMES.repositorySecret };
  const current = (await readSecretData(kube, ref, call))?.[BACKUP_SECRET_KEYS.password];
  const escrowed = await escrow.get(slug, call);
  let source: PasswordSource;
  if (current !== undefined && current !== '') {
    if (escrowed !== undefined && escrowed !== current) {
      throw new Error(`the backup repository password of store '${slug}' differs from the escrowed one; restore one of them by hand before backing up`);
    }
    if (escrowed === undefined) await escrow.put(slug, current, call);
    source = 'store';
  } else {
    const password = escrowed ?? generateBackupPassword();
    if (escrowed === undefined) await escrow.put(slug, password, call);
    const outcome = await withRetry(() => createIfAbsent(kube.objects, backupRepositorySecret(slug, password), owner), call);
    // an empty Secret of ours (edited by hand): write the password into it
    if (outcome === 'exists') await patchSecretData(kube, ref, { [BACKUP_SECRET_KEYS.password]: password }, call);
    source = escrowed === undefined ? 'new' : 'escrow';
  }
  const credentials = backupCredentialsSecret(slug, settings.credentials);
  if (await withRetry(() => createIfAbsent(kube.objects, credentials, owner), call) === 'exists') {
    await patchSecretData(kube, { namespace, name: BACKUP_NAMES.credentialsSecret }, {
      [BACKUP_SECRET_KEYS.accessKeyId]: settings.credentials.accessKeyId,
      [BACKUP_SECRET_KEYS.secretAccessKey]: settings.credentials.secretAccessKey,
    }, call);
  }
  return source;
}

/**
 * The `backup-source` Secret of a store made from another store's backup: that store's repository
 * password, read from the escrow (its namespace may be gone), for the first restore only. Throws when
 * the escrow holds no password for it.
 */
export async function ensureSourceSecret(
  kube: KubeClients, settings: Pick<BackupSettings, 'escrow'>, source: string, slug: string, call: CallOptions,
): Promise<void> {
  const password = await new PasswordEscrow(kube, settings.escrow).get(source, call);
  if (password === undefined) throw new Error(`the escrow holds no repository password for store '${source}', so its backups cannot be read`);
  if (await withRetry(() => createIfAbsent(kube.objects, backupSourceSecret(slug, password), ownerLabels(slug)), call) === 'exists') {
    await patchSecretData(kube, { namespace: namespaceFor(slug), name: BACKUP_NAMES.sourceSecret }, { [BACKUP_SECRET_KEYS.password]: password }, call);
  }
}

/** Removes the `backup-source` Secret once the first restore has ended: the other store's key stays nowhere it is not needed. */
export async function dropSourceSecret(kube: KubeClients, slug: string, call: CallOptions): Promise<void> {
  await deleteOwnedObject(kube, backupSourceSecret(slug, ''), ownerLabels(slug), call);
}

import { LABEL_DOMAIN } from '../labels.js';
import type { Plan } from '../plans.js';
import { assertPinned } from '../pods.js';

/**
 * How backup pods reach the S3 endpoint, for their NetworkPolicy: address ranges (a server outside
 * the cluster) or a namespace and pod labels (one inside it), and the port.
 */
export type BackupEgress =
  | { readonly cidrs: readonly string[]; readonly port: number }
  | { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>>; readonly port: number };

/** The platform's S3-compatible backup target; each store gets a restic repository under `stores/<slug>`. */
export interface BackupTarget {
  /** `http://` or `https://` URL of the S3 endpoint, without a path, e.g. `https://s3.example.com`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** S3 region, e.g. `us-east-1`. */
  readonly region: string;
  /** Image with sh, restic, jq and the engines' dump tools, pinned to a tag or digest. */
  readonly image: string;
  /** Where the endpoint is, for the backup pods' egress policy. */
  readonly egress: BackupEgress;
  /**
   * Bucket addressing: `path` (`<endpoint>/<bucket>`) or `dns` (`<bucket>.<endpoint>`), handed to restic as
   * `-o s3.bucket-lookup` (restic 0.16 and later).
   * @default - restic's own choice (path-style for endpoints other than AWS and Google)
   */
  readonly bucketLookup?: 'path' | 'dns';
}

/** Names of the objects a backup or restore run adds to a store's namespace. */
export const BACKUP_NAMES = {
  /** The store's restic repository password (never in SQLite; escrow is the platform's). */
  repositorySecret: 'backup-repository',
  /** The platform's S3 credentials, copied into the store's namespace for its Jobs. */
  credentialsSecret: 'backup-target',
  /**
   * The repository password of the store a backup came from, for a store made from that backup: there
   * only while its first restore runs.
   */
  sourceSecret: 'backup-source',
  scriptsConfig: 'backup-scripts',
  policy: 'backup',
  policyDatabase: 'backup-database',
  backupJobPrefix: 'backup-',
  restoreJobPrefix: 'restore-',
  /** `app.kubernetes.io/name` of backup and restore pods. */
  component: 'store-backup',
} as const;

/** Keys of the backup Secrets. */
export const BACKUP_SECRET_KEYS = { password: 'password', accessKeyId: 'access-key-id', secretAccessKey: 'secret-access-key' } as const;

/** Marks backup and restore pods: the only pods their policies let reach the database and the S3 endpoint. */
export const BACKUP_LABEL = `${LABEL_DOMAIN}/backup`;

/** Daily and weekly snapshots a plan keeps (restic `forget --keep-daily --keep-weekly`). */
export const RETENTION: Readonly<Record<Plan, { readonly keepDaily: number; readonly keepWeekly: number }>> = {
  small: { keepDaily: 7, keepWeekly: 4 },
  standard: { keepDaily: 14, keepWeekly: 8 },
  large: { keepDaily: 30, keepWeekly: 12 },
};

/** How often the platform's scheduler backs a plan's store up (BACKUP_SCHEDULE_HOURS overrides it for every plan). */
export const BACKUP_INTERVAL_HOURS: Readonly<Record<Plan, number>> = { small: 24, standard: 24, large: 12 };

/** A backup id: lowercase letters, digits and dashes, short enough for `restore-<id>` to be a Job name. */
export function assertBackupId(id: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id) || id.length > 48) {
    throw new Error(`backup id must be 1-48 lowercase letters, digits and dashes, got '${id}'`);
  }
  return id;
}

/** The target, checked: an http(s) endpoint without path or credentials, a bucket name, a pinned image. */
export function assertTarget(target: BackupTarget): BackupTarget {
  let url: URL;
  try {
    url = new URL(target.endpoint);
  } catch {
    throw new Error(`backup endpoint must be an http(s) URL, got '${target.endpoint}'`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw new Error(`backup endpoint must be an http(s) URL without path, query or credentials, got '${target.endpoint}'`);
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(target.bucket)) throw new Error(`backup bucket must be an S3 bucket name, got '${target.bucket}'`);
  if (!/^[a-z0-9-]+$/.test(target.region)) throw new Error(`backup region must be lowercase letters, digits and dashes, got '${target.region}'`);
  assertPinned(target.image, 'backup');
  const port = target.egress.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`backup egress port must be 1-65535, got '${port}'`);
  if ('cidrs' in target.egress) {
    if (target.egress.cidrs.length === 0) throw new Error('backup egress needs at least one CIDR');
    for (const c of target.egress.cidrs) if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c)) throw new Error(`backup egress CIDRs must be IPv4 CIDRs, got '${c}'`);
  }
  return target;
}

/** The store's restic repository: `s3:<endpoint>/<bucket>/stores/<slug>`. */
export function repositoryUrl(target: BackupTarget, slug: string): string {
  return `s3:${target.endpoint.replace(/\/$/, '')}/${target.bucket}/stores/${slug}`;
}

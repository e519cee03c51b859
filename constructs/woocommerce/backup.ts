import type { BackupAction, BackupRunOptions, EngineBackupPod } from '../backup/jobs.js';
import { componentSelector } from '../labels.js';
import { planTable } from '../plans.js';
import { env, secretEnv } from '../pods.js';
import { OBJECT_NAMES } from './names.js';
import { PORTS } from './policies.js';
import { backup, restore, storeDb } from './scripts/backup-embedded.js';
import { DB_SECRET_KEYS } from './secrets.js';
import { DOCROOT, WWW_DATA_UID } from './wordpress.js';

const WP_CONTENT = `${DOCROOT}/wp-content`;

/**
 * The WooCommerce half of a backup or restore pod: `scripts/backup.sh` (a single-transaction dump of
 * the WordPress database and the wp-content volume) or `scripts/restore.sh`, as www-data (the owner of
 * wp-content), sized like the wp-cli Jobs, with the database credentials from `mysql-credentials`.
 * The backup mounts wp-content read-only and runs beside WordPress (the volume is ReadWriteOnce);
 * the restore mounts it writable and runs while WordPress is scaled down.
 */
export function wooCommerceBackupPod(slug: string, options: BackupRunOptions, action: BackupAction): EngineBackupPod {
  return {
    scripts: { 'backup.sh': backup, 'restore.sh': restore, 'store-db.sh': storeDb },
    database: { component: OBJECT_NAMES.mysql, port: PORTS.mysql },
    env: [
      env('DB_HOST', OBJECT_NAMES.mysql),
      env('DB_PORT', String(PORTS.mysql)),
      secretEnv('DB_NAME', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.database),
      secretEnv('DB_USER', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.username),
      secretEnv('DB_PASSWORD', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.password),
      env('WP_CONTENT_DIR', WP_CONTENT),
    ],
    runAs: { uid: WWW_DATA_UID, gid: WWW_DATA_UID },
    size: planTable[options.spec.plan].components.wpCli,
    volumes: [{
      volume: { name: 'wp-content', persistentVolumeClaim: { claimName: OBJECT_NAMES.wpContentClaim, readOnly: action === 'backup' } },
      mount: { name: 'wp-content', mountPath: WP_CONTENT, readOnly: action === 'backup' },
    }],
    ...(action === 'backup'
      ? {
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: componentSelector(slug, OBJECT_NAMES.wordpress) }, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
        }
      : {}),
  };
}

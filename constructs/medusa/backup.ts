import type { BackupAction, BackupRunOptions, EngineBackupPod } from '../backup/jobs.js';
import { planTable } from '../plans.js';
import { env, secretEnv } from '../pods.js';
import { MEDUSA_NAMES, MEDUSA_PORTS, MEDUSA_UID } from './names.js';
import { backup, restore } from './scripts/embedded.js';
import { DB_KEYS } from './secrets.js';

/**
 * The Medusa half of a backup or restore pod: `scripts/backup.sh` (pg_dump's custom format) or
 * `scripts/restore.sh` (one transaction), with libpq's variables from `postgres-credentials` (the
 * password never in a URL or on a command line), sized like the setup and reset Jobs. Medusa keeps
 * no files of its own, so no volume is mounted.
 */
export function medusaBackupPod(_slug: string, options: BackupRunOptions, _action: BackupAction): EngineBackupPod {
  const sizing = planTable[options.spec.plan].medusa;
  if (!sizing) throw new Error(`plan '${options.spec.plan}' does not offer Medusa`);
  return {
    scripts: { 'backup.sh': backup, 'restore.sh': restore },
    database: { component: MEDUSA_NAMES.postgres, port: MEDUSA_PORTS.postgres },
    env: [
      env('PGHOST', MEDUSA_NAMES.postgres),
      env('PGPORT', String(MEDUSA_PORTS.postgres)),
      env('PGSSLMODE', 'disable'),
      secretEnv('PGDATABASE', MEDUSA_NAMES.dbSecret, DB_KEYS.database),
      secretEnv('PGUSER', MEDUSA_NAMES.dbSecret, DB_KEYS.username),
      secretEnv('PGPASSWORD', MEDUSA_NAMES.dbSecret, DB_KEYS.password),
    ],
    runAs: { uid: MEDUSA_UID, gid: MEDUSA_UID },
    size: sizing.job,
  };
}

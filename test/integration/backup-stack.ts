import { chmodSync, chownSync, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binDir, readVersions } from '../../infra/cluster/paths.js';
import { freePort, run, start, waitFor, type Started } from './medusa-stack.js';

// The backup round trip's daemons on loopback: Debian's MariaDB in a temp folder, and versitygw (the
// S3-compatible server built by infra/cluster/build.sh from its Go module) on a posix folder. The
// engines' backup and restore scripts run as they are, from constructs/.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The scripts a backup or restore Job runs, from the repository. */
export const BACKUP_SCRIPTS = {
  lib: join(ROOT, 'constructs/backup/scripts/restic-lib.sh'),
  woocommerce: { backup: join(ROOT, 'constructs/woocommerce/scripts/backup.sh'), restore: join(ROOT, 'constructs/woocommerce/scripts/restore.sh') },
  medusa: { backup: join(ROOT, 'constructs/medusa/scripts/backup.sh'), restore: join(ROOT, 'constructs/medusa/scripts/restore.sh') },
} as const;

/** A missing prerequisite fails loudly, naming where it comes from. */
function need(path: string, how: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${how}`);
  return path;
}

export interface MariaDb extends Started {
  readonly port: number;
  /** Runs SQL as root over the socket; tab-separated rows. */
  sql(statement: string, database?: string): string;
}

/** The mysql user when run as root (mariadbd refuses root); nothing otherwise. */
function asRoot(): boolean {
  return userInfo().uid === 0;
}

/**
 * A fresh MariaDB in `dir` on a free loopback port, root without a password on its socket and loopback (a throwaway server).
 * With `defaultsFile`, the server reads that option file (and only it) before its command line.
 */
export async function startMariaDb(dir: string, opts: { defaultsFile?: string } = {}): Promise<MariaDb> {
  need('/usr/sbin/mariadbd', "install the Debian package 'mariadb-server'");
  const data = join(dir, 'mariadb');
  mkdirSync(data, { recursive: true });
  const user = asRoot() ? ['--user=mysql'] : [];
  if (asRoot()) {
    chmodSync(dir, 0o711); // mkdtemp makes it 0700: let the mysql user reach its data folder
    const id = (flag: string) => Number(run('id', [flag, 'mysql']).trim());
    chownSync(data, id('-u'), id('-g'));
  }
  run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db']);
  const port = await freePort();
  const socket = join(data, 'mariadb.sock');
  const defaults = opts.defaultsFile ? `--defaults-file=${opts.defaultsFile}` : '--no-defaults';
  const server = start('mariadbd', [defaults, `--datadir=${data}`, ...user, `--port=${port}`, '--bind-address=127.0.0.1',
    `--socket=${socket}`, '--skip-log-bin', '--innodb-flush-log-at-trx-commit=0', '--skip-name-resolve']);
  const sql = (statement: string, database?: string) =>
    run('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '--default-character-set=utf8mb4', '--batch', '--skip-column-names', ...(database ? [database] : []), '-e', statement]);
  await waitFor('mariadb', server, () => { try { sql('SELECT 1'); return true; } catch { return false; } }, 60_000);
  return { ...server, port, sql };
}

export interface S3Server extends Started {
  /** The address it listens on (loopback, or the real node's bridge for pods to reach). */
  readonly host: string;
  readonly endpoint: string;
  readonly root: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** The same server again on the same port and folder, after `stop()`. */
  restart(): Promise<S3Server>;
}

/** versitygw's posix backend on `root` (one folder per bucket), on a free port of `host` (loopback by default). */
export async function startS3(root: string, port?: number, host = '127.0.0.1'): Promise<S3Server> {
  const v = readVersions().versitygw;
  const bin = need(join(binDir('versitygw', v), 'versitygw'), `run bash infra/cluster/build.sh versitygw (versitygw ${v}, from its Go module)`);
  mkdirSync(root, { recursive: true });
  const listen = port ?? await freePort();
  const accessKey = 'backup-test-access';
  const secretKey = 'backup-test-secret-0123456789';
  // the keys reach versitygw in its environment, not on its command line
  const server = start(bin, ['--port', `${host}:${listen}`, '--quiet', 'posix', root], {
    env: { ...process.env, ROOT_ACCESS_KEY: accessKey, ROOT_SECRET_KEY: secretKey },
  });
  const endpoint = `http://${host}:${listen}`;
  await waitFor('versitygw', server, async () => (await fetch(endpoint).catch(() => undefined)) !== undefined, 30_000);
  return { ...server, host, endpoint, root, accessKey, secretKey, restart: () => startS3(root, listen, host) };
}

/**
 * The platform's backup settings for a harness: the S3 server as the target (the backup pods' egress
 * open to its address alone), the escrow Secret in `escrowNamespace` sealed under `escrowKey`.
 */
export function backupTargetConfig(s3: S3Server, bucket: string, escrowNamespace: string, escrowKey: Buffer): Record<string, string> {
  return {
    BACKUP_S3_ENDPOINT: s3.endpoint,
    BACKUP_S3_BUCKET: bucket,
    BACKUP_S3_ACCESS_KEY_ID: s3.accessKey,
    BACKUP_S3_SECRET_ACCESS_KEY: s3.secretKey,
    BACKUP_ESCROW_KEY: escrowKey.toString('hex'),
    BACKUP_ESCROW_SECRET: `${escrowNamespace}/store-platform-backup-keys`,
    BACKUP_IMAGE: 'store-platform/backup:0.1.0-r1',
    BACKUP_S3_EGRESS_CIDRS: `${s3.host}/32`,
  };
}

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPassword } from '../../src/backup/escrow.js';
import { BACKUP_SCRIPTS, startMariaDb, startS3, type MariaDb, type S3Server } from './backup-stack.js';
import { postgresBin, run, startPostgres, tempDir, type Postgres } from './medusa-stack.js';

// The engines' backup and restore scripts, as the Jobs run them, against real daemons on loopback and
// no cluster: Debian's MariaDB and PostgreSQL, restic from Debian, and versitygw as the S3-compatible
// server (built from its Go module). Every row and file is compared after a restore; a corrupted pack,
// retention, and the S3 server dying mid-backup are the faults.

const MINUTE = 60_000;
const DB_PASSWORD = 'wp-db-password-0123456789';
const measured: Record<string, number | string> = {};

let dir: string;
let maria: MariaDb;
let pg: Postgres;
let s3: S3Server;

interface Outcome { readonly code: number; readonly stdout: string; readonly stderr: string; readonly seconds: number }

/** Runs one engine script to its end with the given store's environment (like the Job's). */
function script(path: string, env: Record<string, string>, opts: { onStart?: () => void } = {}): Promise<Outcome> {
  const started = Date.now();
  return new Promise((ok, fail) => {
    const child = spawn('sh', [path], { env: { PATH: process.env.PATH ?? '', HOME: dir, TMPDIR: dir, BACKUP_LIB: BACKUP_SCRIPTS.lib, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', fail);
    child.once('exit', (code) => ok({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
    opts.onStart?.();
  });
}

/** Exit 0, or a failure showing the script's own words. */
function succeeded(o: Outcome): Outcome {
  if (o.code !== 0) throw new Error(`script exited ${o.code}:\n${o.stderr}\n${o.stdout}`);
  return o;
}

/** The repository environment of one store. */
function repository(store: string): Record<string, string> {
  return {
    RESTIC_REPOSITORY: `s3:${s3.endpoint}/backups/stores/${store}`,
    RESTIC_PASSWORD: `repository-password-of-${store}`,
    AWS_ACCESS_KEY_ID: s3.accessKey,
    AWS_SECRET_ACCESS_KEY: s3.secretKey,
    RESTIC_CACHE_DIR: join(dir, 'restic-cache'),
    STORE_ID: store,
    BACKUP_PLAN: 'small',
    STORE_SPEC: JSON.stringify({ name: store, plan: 'small', title: `Shop ${store}` }),
    KEEP_DAILY: '7',
    KEEP_WEEKLY: '4',
  };
}

/** What a restore into a new store is given to clone `store`'s backup: that store's repository and slug. */
function cloneOf(store: string): Record<string, string> {
  const { RESTIC_REPOSITORY, RESTIC_PASSWORD } = repository(store);
  return { RESTIC_REPOSITORY: RESTIC_REPOSITORY!, RESTIC_PASSWORD: RESTIC_PASSWORD!, SOURCE_STORE_ID: store };
}

/** The manifest a backup printed (its JSON object on stdout). */
function manifestOf(o: Outcome): { database: { bytes: number; sha256: string }; files: { count: number; bytes: number } | null; durationSeconds: number } {
  return JSON.parse(o.stdout.slice(o.stdout.indexOf('{'), o.stdout.lastIndexOf('}') + 1)) as never;
}

/** `restic` against one store's repository, from the test. */
function restic(store: string, args: string[]): string {
  return run('restic', args, { env: { ...process.env, ...repository(store) } });
}

/** Backup ids and parts in a store's repository. */
function parts(store: string): { backup: string; part: string }[] {
  const snaps = JSON.parse(restic(store, ['snapshots', '--json'])) as { tags?: string[] }[];
  const tag = (t: string[] | undefined, k: string) => (t ?? []).find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1) ?? '';
  return snaps.map((s) => ({ backup: tag(s.tags, 'backup'), part: tag(s.tags, 'part') })).sort((a, b) => `${a.backup}/${a.part}`.localeCompare(`${b.backup}/${b.part}`));
}

// ---- WooCommerce: a WordPress database and a wp-content folder

function wooEnv(store: string, database: string, wpContent: string): Record<string, string> {
  return { ...repository(store), DB_HOST: '127.0.0.1', DB_PORT: String(maria.port), DB_NAME: database, DB_USER: database, DB_PASSWORD, WP_CONTENT_DIR: wpContent };
}

/** A WordPress-like database of our own: posts with Unicode and long text, metadata with binary values, a foreign key. */
function seedWordPress(database: string, posts: number): void {
  maria.sql(`CREATE DATABASE ${database}; CREATE USER '${database}'@'%' IDENTIFIED BY '${DB_PASSWORD}'; GRANT ALL ON ${database}.* TO '${database}'@'%';`);
  maria.sql(`
    CREATE TABLE wp_posts (ID BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, post_title TEXT NOT NULL, post_content LONGTEXT NOT NULL, post_date DATETIME NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
    CREATE TABLE wp_postmeta (meta_id BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, post_id BIGINT UNSIGNED NOT NULL, meta_key VARCHAR(255), meta_value LONGBLOB,
      FOREIGN KEY (post_id) REFERENCES wp_posts (ID) ON DELETE CASCADE) ENGINE=InnoDB;
    CREATE TABLE wp_options (option_name VARCHAR(191) PRIMARY KEY, option_value LONGTEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
    INSERT INTO wp_options VALUES ('siteurl', 'https://shop.example.test'), ('blogname', 'Ünïcödé \\'quoted\\' shop 🛒');
    INSERT INTO wp_posts (post_title, post_content, post_date)
      SELECT CONCAT('Product ', seq, ' – ñ'), REPEAT(CONCAT('line ', seq, ' "x" \\\\ '), 1 + seq % 40), '2026-01-01' + INTERVAL seq MINUTE FROM seq_1_to_${posts};
    INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT ID, '_price', UNHEX(SHA2(ID, 256)) FROM wp_posts;
  `, database);
}

/** Every row of every table, with a digest per table and the list of tables. */
function wordPressRows(database: string): Record<string, string> {
  const tables = maria.sql('SHOW TABLES', database).trim().split('\n').filter(Boolean);
  return Object.fromEntries(tables.map((t) => [t, createHash('sha256').update(maria.sql(`SELECT * FROM \`${t}\` ORDER BY 1`, database)).digest('hex')]));
}

/** sha256 of every file under a folder, by relative path. */
function fileDigests(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

function seedFiles(root: string, bigFiles: number, bigBytes: number): void {
  mkdirSync(join(root, 'uploads/2026/01'), { recursive: true });
  mkdirSync(join(root, 'plugins/woocommerce'), { recursive: true });
  writeFileSync(join(root, 'uploads/2026/01/photo one.jpg'), randomBytes(300_000));
  writeFileSync(join(root, 'plugins/woocommerce/woocommerce.php'), '<?php // plugin\n');
  writeFileSync(join(root, 'uploads/ümlaut-naïve.txt'), 'text\n');
  for (let i = 0; i < bigFiles; i++) writeFileSync(join(root, `uploads/big-${i}.bin`), randomBytes(bigBytes));
}

/** The largest pack file of a store's repository in the S3 server's folder. */
function largestPack(store: string): string {
  const data = join(s3.root, 'backups/stores', store, 'data');
  const packs = readdirSync(data).flatMap((d) => readdirSync(join(data, d)).map((f) => join(data, d, f)));
  return packs.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

beforeAll(async () => {
  dir = tempDir('backup-roundtrip-');
  [maria, pg, s3] = await Promise.all([startMariaDb(dir), startPostgres(dir), startS3(join(dir, 's3'))]);
}, 3 * MINUTE);

afterAll(async () => {
  await Promise.all([maria?.stop(), pg?.stop(), s3?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`backup round trip (seconds, bytes): ${JSON.stringify(measured)}`);
}, MINUTE);

describe('WooCommerce backup and restore scripts (MariaDB, restic and versitygw on loopback)', () => {
  it('restores every row and every file after the store\'s data is damaged', async () => {
    const content = join(dir, 'shop-wp-content');
    seedWordPress('shop', 5000);
    seedFiles(content, 4, 1_000_000);
    const rows = wordPressRows('shop');
    const files = fileDigests(content);
    const env = wooEnv('shop', 'shop', content);

    const backup = succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...env, BACKUP_ID: 'b1' }));
    const manifest = manifestOf(backup);
    expect(manifest).toMatchObject({ engine: 'woocommerce', store: 'shop', backup: 'b1', plan: 'small', spec: { name: 'shop', plan: 'small', title: 'Shop shop' }, database: { path: '/database.sql', format: 'sql' }, files: { root: content, count: Object.keys(files).length } });
    expect(manifest.database.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(parts('shop')).toEqual([{ backup: 'b1', part: 'database' }, { backup: 'b1', part: 'files' }, { backup: 'b1', part: 'manifest' }]);
    Object.assign(measured, { wooBackupSeconds: backup.seconds, wooDumpBytes: manifest.database.bytes, wooFilesBytes: manifest.files!.bytes, wooFiles: manifest.files!.count });

    // damage: rows gone and changed, a table added, files changed, removed and added
    maria.sql("DELETE FROM wp_posts WHERE ID % 7 = 0; UPDATE wp_options SET option_value = 'hacked'; CREATE TABLE wp_evil (x INT);", 'shop');
    writeFileSync(join(content, 'uploads/2026/01/photo one.jpg'), 'overwritten');
    rmSync(join(content, 'plugins'), { recursive: true });
    writeFileSync(join(content, 'uploads/new.php'), '<?php evil();');
    expect(wordPressRows('shop')).not.toEqual(rows);

    const restore = succeeded(await script(BACKUP_SCRIPTS.woocommerce.restore, { ...env, BACKUP_ID: 'b1' }));
    measured.wooRestoreSeconds = restore.seconds;
    expect(wordPressRows('shop')).toEqual(rows);
    expect(fileDigests(content)).toEqual(files);
    expect(restore.stdout).toContain('"restored":"b1"');
  }, 5 * MINUTE);

  it('fails a restore from a corrupted pack with a clear reason, and leaves the store as it was', async () => {
    const content = join(dir, 'corrupt-wp-content');
    seedWordPress('corrupt', 500);
    seedFiles(content, 1, 2_000_000);
    const env = wooEnv('corrupt', 'corrupt', content);
    succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...env, BACKUP_ID: 'b1' }));

    // flip bytes inside the largest pack (encrypted and authenticated: restic must notice)
    const pack = largestPack('corrupt');
    const bytes = readFileSync(pack);
    for (let i = 100; i < 164; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(pack, bytes);
    maria.sql("UPDATE wp_options SET option_value = 'after the backup'", 'corrupt');
    const rows = wordPressRows('corrupt');
    const files = fileDigests(content);

    const restore = await script(BACKUP_SCRIPTS.woocommerce.restore, { ...env, BACKUP_ID: 'b1' });
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toMatch(/restore: FAILED: refusing to restore: the (database dump|files) of backup b1 cannot be read intact from the repository \(restic: .*ciphertext verification failed/);
    expect(wordPressRows('corrupt')).toEqual(rows);
    expect(fileDigests(content)).toEqual(files);
  }, 5 * MINUTE);

  it('restores one store\'s backup into another store\'s database and files (a clone)', async () => {
    const originContent = join(dir, 'origin-wp-content');
    seedWordPress('origin', 500);
    seedFiles(originContent, 1, 500_000);
    const rows = wordPressRows('origin');
    const files = fileDigests(originContent);
    succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...wooEnv('origin', 'origin', originContent), BACKUP_ID: 'b1' }));

    // the new store: its own database (another name and user) and wp-content, holding other things
    const cloneContent = join(dir, 'clone-wp-content');
    seedWordPress('clone', 20);
    maria.sql("UPDATE wp_options SET option_value = 'https://clone.example.test' WHERE option_name = 'siteurl'", 'clone');
    mkdirSync(join(cloneContent, 'uploads'), { recursive: true });
    writeFileSync(join(cloneContent, 'uploads/only-in-the-clone.txt'), 'mine\n');
    expect(wordPressRows('clone')).not.toEqual(rows);

    const restore = succeeded(await script(BACKUP_SCRIPTS.woocommerce.restore, { ...wooEnv('clone', 'clone', cloneContent), ...cloneOf('origin'), BACKUP_ID: 'b1' }));
    expect(restore.stdout).toContain('restoring backup b1 of store origin into store clone');
    expect(wordPressRows('clone')).toEqual(rows);
    expect(fileDigests(cloneContent)).toEqual(files);
    // the source store and its repository are as they were; the clone got no repository of its own
    expect(wordPressRows('origin')).toEqual(rows);
    expect(fileDigests(originContent)).toEqual(files);
    expect(parts('origin')).toEqual([{ backup: 'b1', part: 'database' }, { backup: 'b1', part: 'files' }, { backup: 'b1', part: 'manifest' }]);
    expect(existsSync(join(s3.root, 'backups/stores/clone'))).toBe(false);
  }, 5 * MINUTE);

  it('fails a clone whose source store does not own the backup, naming both, and leaves the new store as it was', async () => {
    const ownerContent = join(dir, 'owner-wp-content');
    seedWordPress('owner', 50);
    seedFiles(ownerContent, 0, 0);
    succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...wooEnv('owner', 'owner', ownerContent), BACKUP_ID: 'b1' }));
    const targetContent = join(dir, 'target-wp-content');
    seedWordPress('target', 10);
    seedFiles(targetContent, 0, 0);
    const rows = wordPressRows('target');
    const files = fileDigests(targetContent);

    // the owner's repository, but another store named as the source
    const restore = await script(BACKUP_SCRIPTS.woocommerce.restore, { ...wooEnv('target', 'target', targetContent), ...cloneOf('owner'), SOURCE_STORE_ID: 'stranger', BACKUP_ID: 'b1' });
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toContain("restore: FAILED: refusing to restore: backup b1 in this repository belongs to store 'owner', not 'stranger'");
    expect(wordPressRows('target')).toEqual(rows);
    expect(fileDigests(targetContent)).toEqual(files);
  }, 5 * MINUTE);

  it('puts the store\'s own tables back when an import fails halfway, and says the database is unchanged', async () => {
    // the backup's last statement is a view whose definer is the source store's user: MariaDB refuses
    // it to the new store's user (no SET USER privilege) after every table was dropped and refilled
    const sourceContent = join(dir, 'viewer-wp-content');
    seedWordPress('viewer', 200);
    seedFiles(sourceContent, 0, 0);
    maria.sql("CREATE DEFINER = 'viewer'@'%' VIEW wp_recent AS SELECT ID, post_title FROM wp_posts WHERE ID > 100", 'viewer');
    succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...wooEnv('viewer', 'viewer', sourceContent), BACKUP_ID: 'b1' }));
    const targetContent = join(dir, 'halfway-wp-content');
    seedWordPress('halfway', 30);
    seedFiles(targetContent, 0, 0);
    const rows = wordPressRows('halfway');
    const files = fileDigests(targetContent);

    const restore = await script(BACKUP_SCRIPTS.woocommerce.restore, { ...wooEnv('halfway', 'halfway', targetContent), ...cloneOf('viewer'), BACKUP_ID: 'b1' });
    expect(restore.code).not.toBe(0);
    expect(restore.stdout).toContain("the import failed (the database import failed: ERROR 1227");
    expect(restore.stderr).toMatch(/^restore: FAILED: the database import failed: ERROR 1227 \(42000\) at line \d+: Access denied; you need .*SET USER.*; the import was undone and the store's database is unchanged$/m);
    expect(wordPressRows('halfway')).toEqual(rows);
    expect(fileDigests(targetContent)).toEqual(files);
    expect(readdirSync(targetContent).filter((f) => f.startsWith('.restore-'))).toEqual([]);
  }, 5 * MINUTE);

  it('restores by hand as the README says, without the platform: the password from its escrowed copy, restic and the MariaDB client', async () => {
    const content = join(dir, 'byhand-wp-content');
    seedWordPress('byhand', 300);
    seedFiles(content, 1, 200_000);
    const rows = wordPressRows('byhand');
    const files = fileDigests(content);
    succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...wooEnv('byhand', 'byhand', content), BACKUP_ID: 'b1' }));

    // what is left: the S3 bucket, the escrow key and the sealed copy from the platform's Secret
    const work = join(dir, 'byhand-work');
    const home = join(dir, 'byhand-home');
    const tools = join(dir, 'byhand-bin');
    for (const d of [work, home, tools]) mkdirSync(d, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(join(work, 'sealed'), sealPassword(key, 'byhand', repository('byhand').RESTIC_PASSWORD!));
    symlinkSync(join(process.cwd(), 'bin/store-platform.js'), join(tools, 'store-platform'));
    maria.sql(`CREATE DATABASE recovered; CREATE USER 'recovered'@'%' IDENTIFIED BY '${DB_PASSWORD}'; GRANT ALL ON recovered.* TO 'recovered'@'%';`);
    writeFileSync(join(home, '.my.cnf'), `[client]\nhost=127.0.0.1\nport=${maria.port}\nuser=recovered\npassword=${DB_PASSWORD}\n`, { mode: 0o600 });

    const readme = readFileSync('README.md', 'utf8');
    const block = /<!-- run by test\/integration\/backup-roundtrip\.test\.ts -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the README\'s restore-by-hand block').toBeDefined();
    const env = {
      PATH: `${tools}:${process.env.PATH ?? ''}`, HOME: home, STORE: 'byhand', BACKUP_ID: 'b1', S3_ENDPOINT: s3.endpoint, BUCKET: 'backups',
      AWS_ACCESS_KEY_ID: s3.accessKey, AWS_SECRET_ACCESS_KEY: s3.secretKey, BACKUP_ESCROW_KEY: key.toString('hex'), DB_NAME: 'recovered',
      RESTIC_CACHE_DIR: join(dir, 'restic-cache'),
    };
    run('sh', ['-euc', block!], { cwd: work, env });
    expect(wordPressRows('recovered')).toEqual(rows);
    expect(fileDigests(join(work, 'files', content))).toEqual(files);
    expect(JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8'))).toMatchObject({ store: 'byhand', backup: 'b1', spec: { name: 'byhand' } });
  }, 5 * MINUTE);

  it('fails a restore of a backup that does not exist, naming it', async () => {
    const restore = await script(BACKUP_SCRIPTS.woocommerce.restore, { ...wooEnv('shop', 'shop', join(dir, 'shop-wp-content')), BACKUP_ID: 'nope' });
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toContain('refusing to restore: store shop has no backup nope');
  }, MINUTE);

  it('keeps what the plan\'s retention keeps and forgets the rest, incomplete backups first', async () => {
    const content = join(dir, 'kept-wp-content');
    seedWordPress('kept', 50);
    seedFiles(content, 0, 0);
    const env = { ...wooEnv('kept', 'kept', content), KEEP_DAILY: '2', KEEP_WEEKLY: '3' };
    // a backup every third day in January 2026, oldest first; after the first, an interrupted one
    // (a database part without a manifest), as a run killed mid-way leaves it
    for (const day of [1, 4, 7, 10, 13, 16, 19, 22, 25, 28]) {
      const d = String(day).padStart(2, '0');
      succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...env, BACKUP_ID: `jan-${d}`, BACKUP_TIME: `2026-01-${d} 03:00:00` }));
      if (day === 1) {
        run('sh', ['-c', 'echo partial | restic backup --stdin --stdin-filename database.sql --host store-kept --tag store=kept,backup=interrupted,part=database --time "2026-01-02 03:00:00"'],
          { env: { ...process.env, ...env } });
        expect(parts('kept').map((p) => p.backup)).toContain('interrupted');
      }
    }
    // 2 daily: the 28th and 25th; 3 weekly (ISO weeks start on Monday): the 28th, the 25th and the 16th
    const kept = parts('kept');
    expect([...new Set(kept.map((p) => p.backup))]).toEqual(['jan-16', 'jan-25', 'jan-28']);
    // each kept backup is whole
    expect(kept).toHaveLength(9);
    run('restic', ['check'], { env: { ...process.env, ...env } });
    // and still restores
    succeeded(await script(BACKUP_SCRIPTS.woocommerce.restore, { ...env, BACKUP_ID: 'jan-16' }));
  }, 10 * MINUTE);

  it('fails a backup cleanly when the S3 server stops in the middle of it, and its retry succeeds', async () => {
    const content = join(dir, 'flaky-wp-content');
    seedWordPress('flaky', 200);
    seedFiles(content, 8, 20_000_000);
    const env = { ...wooEnv('flaky', 'flaky', content), BACKUP_DEADLINE_SECONDS: '40' };
    const data = join(s3.root, 'backups/stores/flaky/data');
    const packs = () => { try { return readdirSync(data).flatMap((d) => readdirSync(join(data, d))).length; } catch { return 0; } };

    let stoppedAt = 0;
    const running = script(BACKUP_SCRIPTS.woocommerce.backup, { ...env, BACKUP_ID: 'interrupted' });
    // stop the server once the files' packs have started to arrive
    for (let i = 0; i < 600 && packs() < 6; i++) await new Promise((r) => setTimeout(r, 100));
    await s3.stop();
    stoppedAt = Date.now();
    const failed = await running;
    measured.backupFailedAfterS3StopSeconds = (Date.now() - stoppedAt) / 1000;
    s3 = await s3.restart();

    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/backup: FAILED: the (files|database dump) could not be written to the repository: .*connection refused.*\(stopped at the backup deadline of 40s\)/);
    expect(failed.stdout).not.toContain('complete: manifest');
    expect(parts('flaky').filter((p) => p.part === 'manifest')).toEqual([]);
    // a restore of it is refused: it never got a manifest
    const restore = await script(BACKUP_SCRIPTS.woocommerce.restore, { ...env, BACKUP_ID: 'interrupted' });
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toMatch(/refusing to restore: (backup interrupted of store flaky is incomplete|store flaky has no backup interrupted)/);

    // the Job's retry of the same backup finds the failed run's lock and parts, discards the parts and succeeds
    const retry = succeeded(await script(BACKUP_SCRIPTS.woocommerce.backup, { ...env, BACKUP_ID: 'interrupted' }));
    expect(retry.stdout).toContain('discarding the parts of an earlier attempt at backup interrupted');
    expect(parts('flaky')).toEqual([{ backup: 'interrupted', part: 'database' }, { backup: 'interrupted', part: 'files' }, { backup: 'interrupted', part: 'manifest' }]);
    run('restic', ['check'], { env: { ...process.env, ...env } });
  }, 10 * MINUTE);
});

// ---- Medusa: a PostgreSQL database

function medusaEnv(store: string, database: string): Record<string, string> {
  const url = new URL(pg.url);
  return { ...repository(store), PGHOST: '127.0.0.1', PGPORT: url.port, PGDATABASE: database, PGUSER: 'postgres', PGPASSWORD: 'unused-with-trust-auth' };
}

function psql(database: string, sql: string, user = 'postgres'): string {
  const url = new URL(pg.url);
  return run(join(postgresBin(), 'psql'), ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', url.port, '-U', user, '-d', database, '-c', sql]);
}

/** A digest of every table's rows, every sequence's value and the list of tables. */
function medusaRows(database: string): string {
  const tables = psql(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").trim().split('\n').filter(Boolean);
  const digests = tables.map((t) => `${t}:${psql(database, `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${t}" x`).trim()}`);
  const seqs = psql(database, "SELECT string_agg(sequencename || '=' || coalesce(last_value, 0), ',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'public'").trim();
  return [...digests, seqs].join('\n');
}

describe('Medusa backup and restore scripts (PostgreSQL, restic and versitygw on loopback)', () => {
  it('restores every row and sequence after the store\'s database is damaged, in one transaction', async () => {
    pg.createDatabase('shop');
    psql('shop', `
      CREATE TABLE product (id text PRIMARY KEY, title text NOT NULL, metadata jsonb, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE "order" (id serial PRIMARY KEY, product_id text REFERENCES product (id) ON DELETE CASCADE, total numeric(12,2), note text);
      CREATE INDEX order_product ON "order" (product_id);
      INSERT INTO product SELECT 'prod_' || g, 'Produkt ' || g || ' ✓ ''q''', jsonb_build_object('n', g, 'tags', jsonb_build_array('a', 'b')), '2026-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 5000) g;
      INSERT INTO "order" (product_id, total, note) SELECT 'prod_' || (1 + g % 5000), g * 1.25, repeat(E'tab\\there ', g % 20) FROM generate_series(1, 10000) g;
    `);
    const rows = medusaRows('shop');
    const env = medusaEnv('medusa-shop', 'shop');

    const backup = succeeded(await script(BACKUP_SCRIPTS.medusa.backup, { ...env, BACKUP_ID: 'b1' }));
    const manifest = manifestOf(backup);
    expect(manifest).toMatchObject({ engine: 'medusa', store: 'medusa-shop', database: { path: '/database.pgdump', format: 'pg_dump-custom' }, files: null });
    Object.assign(measured, { medusaBackupSeconds: backup.seconds, medusaDumpBytes: manifest.database.bytes });

    psql('shop', `DELETE FROM product WHERE id LIKE 'prod_1%'; UPDATE "order" SET total = 0; DROP INDEX order_product; CREATE TABLE intruder (x int); SELECT setval('order_id_seq', 99999);`);
    expect(medusaRows('shop')).not.toEqual(rows);

    const restore = succeeded(await script(BACKUP_SCRIPTS.medusa.restore, { ...env, BACKUP_ID: 'b1' }));
    measured.medusaRestoreSeconds = restore.seconds;
    expect(medusaRows('shop')).toEqual(rows);
    expect(psql('shop', "SELECT indexname FROM pg_indexes WHERE tablename = 'order' ORDER BY 1").trim().split('\n')).toEqual(['order_pkey', 'order_product']);
  }, 5 * MINUTE);

  it('restores one store\'s backup into another store\'s database (a clone)', async () => {
    pg.createDatabase('origin');
    psql('origin', `
      CREATE TABLE product (id text PRIMARY KEY, title text NOT NULL, metadata jsonb);
      CREATE TABLE "order" (id serial PRIMARY KEY, product_id text REFERENCES product (id), total numeric(12,2));
      INSERT INTO product SELECT 'prod_' || g, 'Produkt ' || g || ' ✓', jsonb_build_object('n', g) FROM generate_series(1, 1000) g;
      INSERT INTO "order" (product_id, total) SELECT 'prod_' || (1 + g % 1000), g * 1.25 FROM generate_series(1, 2000) g;
    `);
    const rows = medusaRows('origin');
    succeeded(await script(BACKUP_SCRIPTS.medusa.backup, { ...medusaEnv('medusa-origin', 'origin'), BACKUP_ID: 'b1' }));

    // the new store: its own database, owned by its own user, holding other tables
    psql('postgres', 'CREATE ROLE clone_owner LOGIN');
    psql('postgres', 'CREATE DATABASE clone OWNER clone_owner');
    psql('clone', "CREATE TABLE product (id text PRIMARY KEY, title text); INSERT INTO product VALUES ('mine', 'only in the clone'); CREATE TABLE leftover (x int);", 'clone_owner');
    expect(medusaRows('clone')).not.toEqual(rows);

    const env = { ...medusaEnv('medusa-clone', 'clone'), PGUSER: 'clone_owner', ...cloneOf('medusa-origin'), BACKUP_ID: 'b1' };
    const restore = succeeded(await script(BACKUP_SCRIPTS.medusa.restore, env));
    expect(restore.stdout).toContain('restoring backup b1 of store medusa-origin into store medusa-clone');
    expect(medusaRows('clone')).toEqual(rows);
    expect(medusaRows('origin')).toEqual(rows);
    expect(parts('medusa-origin')).toEqual([{ backup: 'b1', part: 'database' }, { backup: 'b1', part: 'manifest' }]);
  }, 5 * MINUTE);

  it('fails a restore from a corrupted pack with a clear reason, and leaves the database as it was', async () => {
    pg.createDatabase('corrupt');
    psql('corrupt', "CREATE TABLE product (id text PRIMARY KEY, blob bytea); INSERT INTO product SELECT 'p' || g, decode(md5(g::text) || repeat(md5(random()::text), 200), 'hex') FROM generate_series(1, 2000) g;");
    const env = medusaEnv('medusa-corrupt', 'corrupt');
    succeeded(await script(BACKUP_SCRIPTS.medusa.backup, { ...env, BACKUP_ID: 'b1' }));
    const pack = largestPack('medusa-corrupt');
    const bytes = readFileSync(pack);
    for (let i = 100; i < 164; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(pack, bytes);
    psql('corrupt', "DELETE FROM product WHERE id = 'p1'");
    const rows = medusaRows('corrupt');

    const restore = await script(BACKUP_SCRIPTS.medusa.restore, { ...env, BACKUP_ID: 'b1' });
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toMatch(/restore: FAILED: refusing to restore: the database dump of backup b1 cannot be read intact from the repository \(restic: .*ciphertext verification failed/);
    expect(medusaRows('corrupt')).toEqual(rows);
  }, 5 * MINUTE);
});

/**
 * `npm run bench:backup [-- --products 10000 --orders 10000]`: the engines' own backup and restore scripts
 * (constructs/*\/scripts, as their Jobs run them) on a store of synthetic data per engine, against Debian's
 * MariaDB and PostgreSQL, restic and versitygw on loopback (no cluster): backup and restore time, dump
 * and repository size; and the effect of a running backup on the store's database: point reads of a
 * product by id over one open client connection, idle and while the backup runs. The store's own HTTP
 * latency is not measured here (WooCommerce does not run on the real node: no wp-cli). Writes
 * test/bench/results/backup.{md,json}.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { REPO_ROOT } from '../../infra/cluster/paths.js';
import { BACKUP_SCRIPTS, startMariaDb, startS3, type MariaDb, type S3Server } from '../integration/backup-stack.js';
import { postgresBin, run, startPostgres, tempDir, type Postgres } from '../integration/medusa-stack.js';
import { MiB, round, summarize, type Summary } from './lib/stats.js';

const { values } = parseArgs({ options: { products: { type: 'string', default: '10000' }, orders: { type: 'string', default: '10000' } } });
const PRODUCTS = Number(values.products);
const ORDERS = Number(values.orders);
if (!Number.isInteger(PRODUCTS) || PRODUCTS < 1 || !Number.isInteger(ORDERS) || ORDERS < 1) {
  process.stderr.write('bench:backup: --products and --orders take whole numbers above 0\n');
  process.exit(2);
}
const DB_PASSWORD = 'bench-db-password-0123456789';
const log = (msg: string) => process.stderr.write(`[bench:backup] ${msg}\n`);

/** One client connection kept open; `ask` times one query's round trip to its marker line. */
class Client {
  readonly #child: ChildProcessWithoutNullStreams;
  #buffer = '';
  #waiting: { marker: string; resolve: () => void } | undefined;

  public constructor(cmd: string, args: string[]) {
    this.#child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.on('data', (c: Buffer) => {
      this.#buffer += c.toString();
      if (this.#waiting && this.#buffer.includes(this.#waiting.marker)) {
        this.#buffer = '';
        const w = this.#waiting;
        this.#waiting = undefined;
        w.resolve();
      }
    });
  }

  /** Milliseconds from sending `sql` (followed by `marker`) to reading the marker. */
  public ask(sql: string, markerSql: string, marker: string): Promise<number> {
    const t0 = process.hrtime.bigint();
    return new Promise((resolve) => {
      this.#waiting = { marker, resolve: () => resolve(Number(process.hrtime.bigint() - t0) / 1e6) };
      this.#child.stdin.write(`${sql}\n${markerSql}\n`);
    });
  }

  public close(): void {
    this.#child.stdin.end();
    this.#child.kill();
  }
}

/** Point reads of random products until `until` resolves (or `count` reads when it is a number). */
async function reads(client: Client, query: (id: number) => string, markerSql: string, until: Promise<unknown> | number): Promise<Summary> {
  const times: number[] = [];
  let done = false;
  if (typeof until !== 'number') void until.finally(() => { done = true; });
  for (let i = 0; typeof until === 'number' ? i < until : !done; i++) {
    times.push(await client.ask(query(1 + Math.floor(Math.random() * PRODUCTS)), markerSql, 'bench-marker'));
  }
  return summarize(times);
}

interface Outcome { readonly seconds: number; readonly stdout: string }

function script(path: string, env: Record<string, string>, home: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((ok, fail) => {
    const child = spawn('sh', [path], { env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: home, BACKUP_LIB: BACKUP_SCRIPTS.lib, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok({ seconds: (Date.now() - started) / 1000, stdout }) : fail(new Error(`${path} exited ${code}: ${stderr}`))));
  });
}

function dirBytes(root: string): number {
  let total = 0;
  for (const e of readdirSync(root, { withFileTypes: true })) total += e.isDirectory() ? dirBytes(join(root, e.name)) : statSync(join(root, e.name)).size;
  return total;
}

interface EngineResult {
  readonly backupSeconds: number;
  readonly restoreSeconds: number;
  readonly dumpBytes: number;
  readonly filesBytes: number;
  readonly repositoryBytes: number;
  readonly readsIdleMs: Summary;
  readonly readsDuringBackupMs: Summary;
}

function repository(s3: S3Server, store: string, home: string): Record<string, string> {
  return {
    RESTIC_REPOSITORY: `s3:${s3.endpoint}/backups/stores/${store}`, RESTIC_PASSWORD: `bench-password-${store}`,
    AWS_ACCESS_KEY_ID: s3.accessKey, AWS_SECRET_ACCESS_KEY: s3.secretKey, RESTIC_CACHE_DIR: join(home, 'restic-cache'),
    STORE_ID: store, BACKUP_PLAN: 'small', KEEP_DAILY: '7', KEEP_WEEKLY: '4',
  };
}

/** A WooCommerce database of products and orders as WordPress keeps them (posts and their meta), and uploads. */
async function woocommerce(maria: MariaDb, s3: S3Server, home: string): Promise<EngineResult> {
  const db = 'woobench';
  maria.sql(`CREATE DATABASE ${db}; CREATE USER '${db}'@'%' IDENTIFIED BY '${DB_PASSWORD}'; GRANT ALL ON ${db}.* TO '${db}'@'%';`);
  maria.sql(`
    CREATE TABLE wp_posts (ID BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, post_type VARCHAR(20) NOT NULL, post_title TEXT NOT NULL, post_content LONGTEXT NOT NULL, post_date DATETIME NOT NULL, KEY type_date (post_type, post_date)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
    CREATE TABLE wp_postmeta (meta_id BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, post_id BIGINT UNSIGNED NOT NULL, meta_key VARCHAR(255), meta_value LONGTEXT, KEY post_id (post_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
    INSERT INTO wp_posts (post_type, post_title, post_content, post_date)
      SELECT 'product', CONCAT('Product ', seq), REPEAT(CONCAT('Description of product ', seq, '. '), 12), '2026-01-01' + INTERVAL seq MINUTE FROM seq_1_to_${PRODUCTS};
    INSERT INTO wp_posts (post_type, post_title, post_content, post_date)
      SELECT 'shop_order', CONCAT('Order ', seq), '', '2026-02-01' + INTERVAL seq MINUTE FROM seq_1_to_${ORDERS};
    INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT ID, '_price', ID % 997 FROM wp_posts WHERE post_type = 'product';
    INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT ID, '_sku', CONCAT('SKU-', ID) FROM wp_posts WHERE post_type = 'product';
    INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT ID, '_order_total', ID % 499 FROM wp_posts WHERE post_type = 'shop_order';
    INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT ID, '_billing_email', CONCAT('buyer', ID, '@example.test') FROM wp_posts WHERE post_type = 'shop_order';
  `, db);
  const content = join(home, 'wp-content');
  mkdirSync(join(content, 'uploads/2026/01'), { recursive: true });
  // one image per 50 products, 60 KiB each (random: incompressible, like photos)
  for (let i = 0; i < Math.ceil(PRODUCTS / 50); i++) writeFileSync(join(content, `uploads/2026/01/product-${i}.jpg`), randomBytes(60 * 1024));
  const env = { ...repository(s3, 'woo-bench', home), DB_HOST: '127.0.0.1', DB_PORT: String(maria.port), DB_NAME: db, DB_USER: db, DB_PASSWORD, WP_CONTENT_DIR: content };
  const client = new Client('mariadb', ['--no-defaults', '-h127.0.0.1', `-P${maria.port}`, `-u${db}`, `-p${DB_PASSWORD}`, '--batch', '--skip-column-names', '--unbuffered', db]);
  const query = (id: number) => `SELECT p.post_title, m.meta_value FROM wp_posts p JOIN wp_postmeta m ON m.post_id = p.ID AND m.meta_key = '_price' WHERE p.ID = ${id};`;
  const marker = "SELECT 'bench-marker';";
  try {
    await reads(client, query, marker, 50); // warm
    const readsIdleMs = await reads(client, query, marker, 2_000);
    log('woocommerce: backing up');
    const backup = script(BACKUP_SCRIPTS.woocommerce.backup, { ...env, BACKUP_ID: 'bench' }, home);
    const readsDuringBackupMs = await reads(client, query, marker, backup);
    const b = await backup;
    const manifest = JSON.parse(b.stdout.slice(b.stdout.indexOf('{'), b.stdout.lastIndexOf('}') + 1)) as { database: { bytes: number }; files: { bytes: number } | null };
    maria.sql('DROP TABLE wp_postmeta; DROP TABLE wp_posts;', db);
    log('woocommerce: restoring');
    const restore = await script(BACKUP_SCRIPTS.woocommerce.restore, { ...env, BACKUP_ID: 'bench' }, home);
    const count = maria.sql("SELECT COUNT(*) FROM wp_posts", db).trim();
    if (Number(count) !== PRODUCTS + ORDERS) throw new Error(`restore left ${count} posts, expected ${PRODUCTS + ORDERS}`);
    return {
      backupSeconds: b.seconds, restoreSeconds: restore.seconds, dumpBytes: manifest.database.bytes, filesBytes: manifest.files?.bytes ?? 0,
      repositoryBytes: dirBytes(join(s3.root, 'backups/stores/woo-bench')), readsIdleMs, readsDuringBackupMs,
    };
  } finally {
    client.close();
  }
}

/** A Medusa database: products with variants and prices, orders with line items. */
async function medusa(pg: Postgres, s3: S3Server, home: string): Promise<EngineResult> {
  const db = 'medusabench';
  pg.createDatabase(db);
  const url = new URL(pg.url);
  const psql = (sql: string) => run(join(postgresBin(), 'psql'), ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', url.port, '-U', 'postgres', '-d', db, '-c', sql]);
  psql(`
    CREATE TABLE product (id text PRIMARY KEY, title text NOT NULL, handle text UNIQUE NOT NULL, description text, metadata jsonb, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE product_variant (id text PRIMARY KEY, product_id text NOT NULL REFERENCES product (id), sku text, price numeric(12,2) NOT NULL);
    CREATE TABLE "order" (id text PRIMARY KEY, email text NOT NULL, total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE order_line_item (id text PRIMARY KEY, order_id text NOT NULL REFERENCES "order" (id), variant_id text NOT NULL REFERENCES product_variant (id), quantity int NOT NULL);
    INSERT INTO product SELECT 'prod_' || g, 'Product ' || g, 'product-' || g, repeat('Description of product ' || g || '. ', 12), jsonb_build_object('n', g) FROM generate_series(1, ${PRODUCTS}) g;
    INSERT INTO product_variant SELECT 'variant_' || g, 'prod_' || g, 'SKU-' || g, g % 997 FROM generate_series(1, ${PRODUCTS}) g;
    INSERT INTO "order" SELECT 'order_' || g, 'buyer' || g || '@example.test', g % 499 FROM generate_series(1, ${ORDERS}) g;
    INSERT INTO order_line_item SELECT 'item_' || g, 'order_' || g, 'variant_' || (1 + g % ${PRODUCTS}), 1 + g % 3 FROM generate_series(1, ${ORDERS}) g;
  `);
  const env = { ...repository(s3, 'medusa-bench', home), PGHOST: '127.0.0.1', PGPORT: url.port, PGDATABASE: db, PGUSER: 'postgres', PGPASSWORD: 'unused-with-trust-auth' };
  const client = new Client(join(postgresBin(), 'psql'), ['-X', '-A', '-t', '-q', '-h', '127.0.0.1', '-p', url.port, '-U', 'postgres', '-d', db]);
  const query = (id: number) => `SELECT p.title, v.price FROM product p JOIN product_variant v ON v.product_id = p.id WHERE p.id = 'prod_${id}';`;
  const marker = "SELECT 'bench-marker';";
  try {
    await reads(client, query, marker, 50);
    const readsIdleMs = await reads(client, query, marker, 2_000);
    log('medusa: backing up');
    const backup = script(BACKUP_SCRIPTS.medusa.backup, { ...env, BACKUP_ID: 'bench' }, home);
    const readsDuringBackupMs = await reads(client, query, marker, backup);
    const b = await backup;
    const manifest = JSON.parse(b.stdout.slice(b.stdout.indexOf('{'), b.stdout.lastIndexOf('}') + 1)) as { database: { bytes: number } };
    client.close();
    psql('DROP TABLE order_line_item; DROP TABLE "order"; DROP TABLE product_variant; DROP TABLE product;');
    log('medusa: restoring');
    const restore = await script(BACKUP_SCRIPTS.medusa.restore, { ...env, BACKUP_ID: 'bench' }, home);
    const count = psql('SELECT count(*) FROM product').trim();
    if (Number(count) !== PRODUCTS) throw new Error(`restore left ${count} products, expected ${PRODUCTS}`);
    return {
      backupSeconds: b.seconds, restoreSeconds: restore.seconds, dumpBytes: manifest.database.bytes, filesBytes: 0,
      repositoryBytes: dirBytes(join(s3.root, 'backups/stores/medusa-bench')), readsIdleMs, readsDuringBackupMs,
    };
  } finally {
    client.close();
  }
}

const row = (name: string, r: EngineResult) =>
  `| ${name} | ${round(r.backupSeconds)} s | ${round(r.restoreSeconds)} s | ${round(r.dumpBytes / MiB)} MiB | ${round(r.filesBytes / MiB)} MiB | ${round(r.repositoryBytes / MiB)} MiB `
  + `| ${round(r.readsIdleMs.p50)} / ${round(r.readsIdleMs.p99)} ms | ${round(r.readsDuringBackupMs.p50)} / ${round(r.readsDuringBackupMs.p99)} ms (${r.readsDuringBackupMs.n} reads) |`;

const home = tempDir('sp-bench-backup-');
let maria: MariaDb | undefined;
let pg: Postgres | undefined;
let s3: S3Server | undefined;
try {
  [maria, pg, s3] = await Promise.all([startMariaDb(home), startPostgres(home), startS3(join(home, 's3'))]);
  mkdirSync(join(s3.root, 'backups'), { recursive: true });
  log(`${PRODUCTS} products and ${ORDERS} orders per engine`);
  const woo = await woocommerce(maria, s3, home);
  const med = await medusa(pg, s3, home);
  const md = [
    `# Backup and restore: ${PRODUCTS} products and ${ORDERS} orders per engine`,
    '',
    'The engines\' own scripts against Debian\'s MariaDB / PostgreSQL, restic and versitygw on loopback. Point reads: a product and its',
    'price by id over one open client connection (p50 / p99), idle and while the backup runs.',
    '',
    '| Engine | Backup | Restore | Dump | Files | Repository | Reads idle | Reads during the backup |',
    '|---|---|---|---|---|---|---|---|',
    row('WooCommerce (MariaDB)', woo),
    row('Medusa (PostgreSQL)', med),
    '',
  ].join('\n');
  const out = join(REPO_ROOT, 'test/bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'backup.md'), md);
  writeFileSync(join(out, 'backup.json'), `${JSON.stringify({ products: PRODUCTS, orders: ORDERS, woocommerce: woo, medusa: med }, null, 2)}\n`);
  process.stdout.write(md);
} finally {
  await Promise.all([maria?.stop(), pg?.stop(), s3?.stop()]);
  rmSync(home, { recursive: true, force: true });
}

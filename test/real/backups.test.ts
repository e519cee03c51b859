import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInImage } from '../../infra/images/images.js';
import { REAL_NODE } from '../../infra/cluster/real-node/index.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { backupTargetConfig, startS3, type S3Server } from '../integration/backup-stack.js';
import { execIn, importStandInImage, realCluster, REAL_NODE_STORE_CONFIG, testNamespace, until } from './support.js';

// Backups of a Medusa store on the real node, made and restored by the platform itself: its backup and
// restore Jobs run the backup stand-in (restic and pg_dump from Debian) as the store's user on real-0,
// behind their NetworkPolicies, against a real S3 server (versitygw, from its Go module) listening on the
// node's bridge address. Rows of our own and Medusa's products are compared after a restore into the same
// store and after a clone into a new one. Medusa only: it is the engine that reaches Ready here
// (WooCommerce's setup needs wp-cli); WooCommerce's Jobs run on real-0 in woocommerce-store.test.ts,
// applied by that test, and its scripts natively in backup-roundtrip.test.ts.

const BUCKET = 'store-backups';
const PROBE_ROWS = 2_000;

interface Store { id: string; name: string; namespace: string; status: string; statusReason: string | null }
interface Backup { id: string; status: string; sizeBytes: number | null; errorStep: string | null; errorReason: string | null }
interface Restore { id: string; status: string; step: string | null; errorReason: string | null }

/** SQL in the store's PostgreSQL as its own user (the password from the container's environment, never on a command line). */
async function sql(namespace: string, statement: string): Promise<string> {
  const script = 'PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -v ON_ERROR_STOP=1 -At -c "$1"';
  return (await execIn(namespace, 'postgres-0', 'postgres', ['sh', '-c', script, 'sql', statement])).trim();
}

/** What the test compares: every probe row, and Medusa's own products. */
async function fingerprint(namespace: string): Promise<{ probe: string; products: string }> {
  return {
    probe: await sql(namespace, "SELECT count(*) || ' ' || md5(string_agg(id || ':' || note, ',' ORDER BY id)) FROM sp_probe"),
    products: await sql(namespace, "SELECT count(*) || ' ' || md5(coalesce(string_agg(id || ':' || title || ':' || handle, ',' ORDER BY id), '')) FROM product"),
  };
}

describe('backups of a Medusa store on the real node, through the platform', () => {
  let h: ApiHarness;
  let s3: S3Server;
  let dir = '';
  let escrow: { name: string; remove: () => Promise<void> } | undefined;
  let shop: Store;
  let before: { probe: string; products: string };
  let backup: Backup;
  const made: string[] = [];

  const get = async <T>(path: string): Promise<T> => (await (await h.call('GET', path)).json()) as T;
  async function ready(id: string, timeoutMs = 15 * 60_000): Promise<Store> {
    return until(`store ${id} to be Ready`, async () => {
      const s = await get<Store>(`/api/v1/stores/${id}`);
      if (s.status === 'Failed') throw new Error(`store failed: ${s.statusReason ?? ''}\n${JSON.stringify(await get(`/api/v1/stores/${id}/events`))}`);
      return s.status === 'Ready' ? s : undefined;
    }, timeoutMs, 2000);
  }

  beforeAll(async () => {
    realCluster();
    for (const image of ['medusa', 'postgres', 'redis', 'backup'] as const) {
      if (!existsSync(standInImage(image).archive)) throw new Error(`stand-in image ${image} is not built: bash infra/images/build.sh ${image}`);
    }
    importStandInImage('medusa');
    importStandInImage('backup');
    dir = mkdtempSync(join(tmpdir(), 'sp-real-backups-'));
    mkdirSync(join(dir, 's3', BUCKET), { recursive: true });
    // on the bridge address: the node's own, which the backup pods' egress policy opens and nothing else
    s3 = await startS3(join(dir, 's3'), undefined, REAL_NODE.ip);
    escrow = await testNamespace('sp-escrow');
    h = await startApi({
      ...REAL_NODE_STORE_CONFIG, ...backupTargetConfig(s3, BUCKET, escrow.name, randomBytes(32)),
      BACKUP_IMAGE: standInImage('backup').ref, BACKUP_SCHEDULE_HOURS: 0,
    });
    const res = await h.call('POST', '/api/v1/stores', { body: specFor(h.name('kept-shop'), { engine: 'medusa', plan: 'small' }) });
    expect(res.status, await res.clone().text()).toBe(202);
    shop = (await res.json()) as Store;
    made.push(shop.id);
    await ready(shop.id);
    await sql(shop.namespace, `CREATE TABLE sp_probe (id integer PRIMARY KEY, note text NOT NULL); INSERT INTO sp_probe SELECT g, md5(g::text) FROM generate_series(1, ${PROBE_ROWS}) g`);
    before = await fingerprint(shop.namespace);
  }, 17 * 60_000);

  afterAll(async () => {
    for (const id of made) await h?.call('DELETE', `/api/v1/stores/${id}?skipFinalBackup=true`);
    await h?.close();
    await s3?.stop();
    await escrow?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backs the store up with a Job on the real node into its own restic repository on the S3 server', async () => {
    expect(before.probe).toMatch(new RegExp(`^${PROBE_ROWS} [0-9a-f]{32}$`));
    expect(before.products).toMatch(/^[1-9]\d* [0-9a-f]{32}$/); // the setup's products
    const res = await h.call('POST', `/api/v1/stores/${shop.id}/backups`);
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as Backup;
    backup = await until(`backup ${id}`, async () => {
      const b = await get<Backup>(`/api/v1/stores/${shop.id}/backups/${id}`);
      return b.status === 'Succeeded' || b.status === 'Failed' ? b : undefined;
    }, 5 * 60_000, 2000);
    expect(backup, JSON.stringify(backup)).toMatchObject({ status: 'Succeeded', errorReason: null });
    expect(backup.sizeBytes).toBeGreaterThan(0);
    // a restic repository of the store's own, in the bucket under its name (versitygw's posix backend: folders)
    const repo = join(s3.root, BUCKET, 'stores', shop.name);
    expect(['config', 'keys', 'snapshots', 'data', 'index'].filter((f) => existsSync(join(repo, f)))).toEqual(['config', 'keys', 'snapshots', 'data', 'index']);
    // one backup, two snapshots: the database dump and the manifest (Medusa keeps no files)
    expect(readdirSync(join(repo, 'snapshots'))).toHaveLength(2);
    expect(await get<Store>(`/api/v1/stores/${shop.id}`)).toMatchObject({ status: 'Ready' });
  }, 6 * 60_000);

  it('restores it into the damaged store: every probe row and product back, the store check passed, Ready', async () => {
    await sql(shop.namespace, "DROP TABLE sp_probe; UPDATE product SET title = 'damaged'");
    expect((await fingerprint(shop.namespace).catch((err: Error) => ({ probe: err.message, products: '' }))).probe).toMatch(/sp_probe/);
    const res = await h.call('POST', `/api/v1/stores/${shop.id}/restore`, { body: { backupId: backup.id } });
    expect(res.status, await res.clone().text()).toBe(202);
    const restore = (await res.json()) as Restore;
    const done = await until(`restore ${restore.id}`, async () => {
      const { items } = await get<{ items: Restore[] }>(`/api/v1/stores/${shop.id}/restores`);
      const r = items.find((x) => x.id === restore.id);
      return r && (r.status === 'Succeeded' || r.status === 'Failed') ? r : undefined;
    }, 10 * 60_000, 2000);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'Succeeded', step: 'check', errorReason: null });
    await ready(shop.id, 60_000);
    expect(await fingerprint(shop.namespace)).toEqual(before);
  }, 11 * 60_000);

  it('clones the backup into a new store with its own name and database, the same rows, Ready after its check', async () => {
    const res = await h.call('POST', `/api/v1/backups/${backup.id}/restore`, { body: { name: h.name('cloned-shop') } });
    expect(res.status, await res.clone().text()).toBe(202);
    const clone = (await res.json()) as Store;
    made.push(clone.id);
    expect(clone.namespace).not.toBe(shop.namespace);
    await ready(clone.id);
    expect(await fingerprint(clone.namespace)).toEqual(before);
    // the original is untouched by its clone
    expect(await fingerprint(shop.namespace)).toEqual(before);
  }, 16 * 60_000);
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_NODE } from '../../infra/cluster/real-node/index.js';
import { medusaRelease, medusaUpgradeImages, standInImage } from '../../infra/images/images.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { backupTargetConfig, startS3, type S3Server } from '../integration/backup-stack.js';
import { execIn, importStandInImage, realCluster, realKubeConfig, REAL_NODE_STORE_CONFIG, testNamespace, until } from './support.js';

// Upgrades of a real Medusa store on the real node, through the platform, with backups to a real S3
// server (versitygw on the node's bridge address). The store is made on the Medusa 2.21.1 store image
// (medusa-previous, the same project built one Medusa release back). First an upgrade to a broken
// release (an image reference that does not parse: the setup Job's pod fails at once) rolls back: the
// pre-upgrade backup is restored by the restore Job and the store is Ready on 2.21.1 with its rows.
// Then the upgrade to the current 2.21.2 image: the setup Job's `medusa db:migrate` runs again on the new
// release against the store's PostgreSQL, the server rolls to the new packages, and the store check
// places an order before Ready.

const images = medusaUpgradeImages();
const FROM = medusaRelease('medusa-previous');
const TO = medusaRelease('medusa');
// an upper-case repository name never parses: the kubelet reports InvalidImageName at once
const BROKEN = '2.21.3';
const BUCKET = 'store-backups';
const PROBE = "SELECT count(*) || ' ' || md5(string_agg(id || ':' || note, ',' ORDER BY id)) FROM sp_probe";

interface Store { id: string; namespace: string; status: string; statusReason: string | null; version: string; upgradeFrom: string | null }

/** SQL in the store's PostgreSQL as its own user (the password from the container's environment, never on a command line). */
async function sql(namespace: string, statement: string): Promise<string> {
  const script = 'PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -v ON_ERROR_STOP=1 -At -c "$1"';
  return (await execIn(namespace, 'postgres-0', 'postgres', ['sh', '-c', script, 'sql', statement])).trim();
}

describe('an upgrade of a real Medusa store on the real node', () => {
  let h: ApiHarness;
  let s3: S3Server;
  let dir = '';
  let escrow: { name: string; remove: () => Promise<void> } | undefined;
  let shop: Store;
  let core: CoreV1Api;
  let batch: BatchV1Api;
  const get = async <T>(path: string): Promise<T> => (await (await h.call('GET', path)).json()) as T;
  const settled = (id: string) => until(`store ${id} to settle`, async () => {
    const s = await get<Store>(`/api/v1/stores/${id}`);
    return s.status === 'Ready' || s.status === 'Failed' ? s : undefined;
  }, 15 * 60_000, 2000);

  /** The Medusa package version the running server has (read from its files: the package exports no package.json). */
  async function serverMedusa(namespace: string): Promise<{ image: string; medusa: string }> {
    const pods = await until('one Ready medusa pod', async () => {
      const out = await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/name=medusa' });
      const ready = out.items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.containerStatuses?.every((c) => c.ready));
      return ready.length === 1 && out.items.length === 1 ? ready : undefined;
    }, 5 * 60_000, 2000);
    const pod = pods[0]!;
    const pkg = await execIn(namespace, pod.metadata!.name!, 'medusa', ['cat', 'node_modules/@medusajs/medusa/package.json']);
    return { image: pod.spec!.containers[0]!.image!, medusa: (JSON.parse(pkg) as { version: string }).version };
  }

  beforeAll(async () => {
    realCluster();
    core = realKubeConfig().makeApiClient(CoreV1Api);
    batch = realKubeConfig().makeApiClient(BatchV1Api);
    for (const image of [images.from, images.to]) if (!existsSync(image.archive)) throw new Error(`stand-in image ${image.name} is not built: bash infra/images/build.sh ${image.name}`);
    importStandInImage('medusa-previous');
    importStandInImage('medusa');
    importStandInImage('backup');
    dir = mkdtempSync(join(tmpdir(), 'sp-real-upgrade-'));
    mkdirSync(join(dir, 's3', BUCKET), { recursive: true });
    s3 = await startS3(join(dir, 's3'), undefined, REAL_NODE.ip);
    escrow = await testNamespace('sp-escrow');
    h = await startApi({
      ...REAL_NODE_STORE_CONFIG, ...backupTargetConfig(s3, BUCKET, escrow.name, randomBytes(32)),
      BACKUP_IMAGE: standInImage('backup').ref, BACKUP_SCHEDULE_HOURS: 0,
      STORE_RELEASES: {
        medusa: {
          current: FROM,
          releases: [
            { version: FROM, images: { medusa: images.from.ref } },
            { version: TO, upgradesFrom: [FROM] },
            { version: BROKEN, images: { medusa: 'localhost/Medusa-broken:2.21.3' }, upgradesFrom: [FROM] },
          ],
        },
      },
    });
    const res = await h.call('POST', '/api/v1/stores', { body: specFor(h.name('upgraded-shop'), { engine: 'medusa', plan: 'small' }) });
    expect(res.status, await res.clone().text()).toBe(202);
    shop = await settled(((await res.json()) as Store).id);
    expect(shop, shop.statusReason ?? '').toMatchObject({ status: 'Ready', version: FROM });
  }, 17 * 60_000);

  afterAll(async () => {
    if (shop) await h?.call('DELETE', `/api/v1/stores/${shop.id}?skipFinalBackup=true`);
    await h?.close();
    await s3?.stop();
    await escrow?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`rolls a failed upgrade back: the old release again, its pre-upgrade backup restored, Ready on ${FROM} with its rows`, async () => {
    expect(await serverMedusa(shop.namespace)).toEqual({ image: images.from.ref, medusa: FROM });
    await sql(shop.namespace, "CREATE TABLE sp_probe (id integer PRIMARY KEY, note text NOT NULL); INSERT INTO sp_probe SELECT g, md5(g::text) FROM generate_series(1, 500) g");
    const rows = await sql(shop.namespace, PROBE);
    expect(rows).toMatch(/^500 [0-9a-f]{32}$/);
    const res = await h.call('POST', `/api/v1/stores/${shop.id}/actions/upgrade`, { body: { version: BROKEN } });
    expect(res.status, await res.clone().text()).toBe(202);
    const t0 = Date.now();
    const back = await settled(shop.id);
    console.log(`failed upgrade to ${BROKEN} rolled back with its backup restored: ${Math.round((Date.now() - t0) / 1000)} s`);
    expect(back, back.statusReason ?? '').toMatchObject({ status: 'Ready', version: FROM, upgradeFrom: null });
    expect(back.statusReason).toMatch(new RegExp(`^Upgrade rolled back to ${FROM.replaceAll('.', '\\.')} \\(medusa ${BROKEN.replaceAll('.', '\\.')} failed at store-setup: .*InvalidImageName.*\\); its pre-upgrade backup \\S+ is restored$`));
    const backups = (await get<{ items: { id: string; kind: string; status: string }[] }>(`/api/v1/stores/${shop.id}/backups`)).items;
    const pre = backups.find((b) => b.kind === 'pre-upgrade');
    expect(pre?.status).toBe('Succeeded');
    const restores = (await get<{ items: { backupId: string; status: string; step: string }[] }>(`/api/v1/stores/${shop.id}/restores`)).items;
    expect(restores).toEqual([expect.objectContaining({ backupId: pre!.id, status: 'Succeeded', step: 'check' })]);
    expect(await sql(shop.namespace, PROBE)).toBe(rows);
    expect(await serverMedusa(shop.namespace)).toEqual({ image: images.from.ref, medusa: FROM });
  }, 16 * 60_000);

  it(`moves the store from Medusa ${FROM} to ${TO}: migrations run again, the server on the new release, its data kept, an order placed`, async () => {
    expect(await serverMedusa(shop.namespace)).toEqual({ image: images.from.ref, medusa: FROM });
    const products = await sql(shop.namespace, "SELECT count(*) || ' ' || md5(string_agg(id || ':' || handle, ',' ORDER BY id)) FROM product");
    const migrationsBefore = Number(await sql(shop.namespace, 'SELECT count(*) FROM mikro_orm_migrations'));

    const res = await h.call('POST', `/api/v1/stores/${shop.id}/actions/upgrade`, { body: { version: TO } });
    expect(res.status, await res.clone().text()).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'Upgrading', version: TO, upgradeFrom: FROM });
    const t0 = Date.now();
    const done = await settled(shop.id);
    console.log(`upgrade ${FROM} -> ${TO} of a real Medusa store: ${Math.round((Date.now() - t0) / 1000)} s`);
    expect(done, done.statusReason ?? '').toMatchObject({ status: 'Ready', version: TO, upgradeFrom: null, statusReason: null });

    expect(await serverMedusa(shop.namespace)).toEqual({ image: images.to.ref, medusa: TO });
    // the setup Job ran again on the new image: migrations applied (none are ever removed), then setup
    const setup = await batch.readNamespacedJob({ namespace: shop.namespace, name: 'store-setup' });
    expect(setup.spec?.template.spec?.containers[0]?.image).toBe(images.to.ref);
    expect(setup.status?.succeeded).toBe(1);
    expect(new Date(setup.metadata!.creationTimestamp!).getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Number(await sql(shop.namespace, 'SELECT count(*) FROM mikro_orm_migrations'))).toBeGreaterThanOrEqual(migrationsBefore);
    // the store check placed an order on the new release
    const check = await batch.readNamespacedJob({ namespace: shop.namespace, name: 'store-check' });
    expect(check.spec?.template.spec?.containers[0]?.image).toBe(images.to.ref);
    expect(check.status?.succeeded).toBe(1);
    // the data is the store's own still
    expect(await sql(shop.namespace, PROBE)).toMatch(/^500 [0-9a-f]{32}$/);
    expect(await sql(shop.namespace, "SELECT count(*) || ' ' || md5(string_agg(id || ':' || handle, ',' ORDER BY id)) FROM product")).toBe(products);
    const timeline = (await get<{ items: { step: string; phase: string; message: string }[] }>(`/api/v1/stores/${shop.id}/events`)).items;
    expect(timeline.filter((e) => e.step === 'upgrade').at(-1)).toMatchObject({ phase: 'succeeded', message: `Upgraded medusa ${FROM} -> ${TO}; the store check passed` });
  }, 16 * 60_000);
});

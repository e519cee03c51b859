import { existsSync } from 'node:fs';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { medusaRelease, medusaUpgradeImages } from '../../infra/images/images.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { execIn, importStandInImage, realCluster, realKubeConfig, REAL_NODE_STORE_CONFIG, until } from './support.js';

// An upgrade of a real Medusa store on the real node, through the platform: the store is made on the
// Medusa 2.21.1 store image (medusa-previous, the same project built one Medusa release back) and
// upgraded to the current 2.21.2 image. Real here: both images' Medusa packages, the setup Job's
// `medusa db:migrate` run again on the new release against the store's PostgreSQL, the server rolled
// to the new image, and the store check placing an order before Ready. No backup target is set, so the
// upgrade runs without a pre-upgrade backup (the rollback through a backup is on the simulated cluster).

const images = medusaUpgradeImages();
const FROM = medusaRelease('medusa-previous');
const TO = medusaRelease('medusa');

interface Store { id: string; namespace: string; status: string; statusReason: string | null; version: string; upgradeFrom: string | null }

/** SQL in the store's PostgreSQL as its own user (the password from the container's environment, never on a command line). */
async function sql(namespace: string, statement: string): Promise<string> {
  const script = 'PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -v ON_ERROR_STOP=1 -At -c "$1"';
  return (await execIn(namespace, 'postgres-0', 'postgres', ['sh', '-c', script, 'sql', statement])).trim();
}

describe('an upgrade of a real Medusa store on the real node', () => {
  let h: ApiHarness;
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
    h = await startApi({
      ...REAL_NODE_STORE_CONFIG,
      STORE_RELEASES: { medusa: { current: FROM, releases: [{ version: FROM, images: { medusa: images.from.ref } }, { version: TO, upgradesFrom: [FROM] }] } },
    });
    const res = await h.call('POST', '/api/v1/stores', { body: specFor(h.name('upgraded-shop'), { engine: 'medusa', plan: 'small' }) });
    expect(res.status, await res.clone().text()).toBe(202);
    shop = await settled(((await res.json()) as Store).id);
    expect(shop, shop.statusReason ?? '').toMatchObject({ status: 'Ready', version: FROM });
  }, 17 * 60_000);

  afterAll(async () => {
    if (shop) await h?.call('DELETE', `/api/v1/stores/${shop.id}`);
    await h?.close();
  });

  it(`moves the store from Medusa ${FROM} to ${TO}: migrations run again, the server on the new release, its data kept, an order placed`, async () => {
    expect(await serverMedusa(shop.namespace)).toEqual({ image: images.from.ref, medusa: FROM });
    await sql(shop.namespace, "CREATE TABLE sp_probe (id integer PRIMARY KEY, note text NOT NULL); INSERT INTO sp_probe SELECT g, md5(g::text) FROM generate_series(1, 500) g");
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
    expect(await sql(shop.namespace, "SELECT count(*) || ' ' || md5(string_agg(id || ':' || note, ',' ORDER BY id)) FROM sp_probe")).toMatch(/^500 [0-9a-f]{32}$/);
    expect(await sql(shop.namespace, "SELECT count(*) || ' ' || md5(string_agg(id || ':' || handle, ',' ORDER BY id)) FROM product")).toBe(products);
    const timeline = (await get<{ items: { step: string; phase: string; message: string }[] }>(`/api/v1/stores/${shop.id}/events`)).items;
    expect(timeline.filter((e) => e.step === 'upgrade').map((e) => e.phase)).toEqual(['info', 'started', 'info', 'succeeded']);
  }, 16 * 60_000);
});

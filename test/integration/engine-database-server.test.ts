import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_IMAGES, DEFAULT_PLATFORM_SETTINGS, namespaceFor } from '../../constructs/index.js';
import { harness, waitForStatus } from './engine-harness.js';

// A WooCommerce store keeps the database server family it was created with (neither MariaDB nor MySQL
// opens the other's data directory). A platform that ran MySQL and now defaults to MariaDB re-applies an
// old store on MySQL, also one from before families were recorded (its row has none: the engine reads it
// from the running StatefulSet), while its new stores get MariaDB.

const MYSQL_PLATFORM = { ...DEFAULT_PLATFORM_SETTINGS, databaseEngine: 'mysql' as const, images: { ...DEFAULT_PLATFORM_SETTINGS.images, mysql: DATABASE_IMAGES.mysql } };

describe('engine: a store keeps its database server', () => {
  const h = harness();
  afterAll(() => h.cleanup());

  const dbImage = async (slug: string) =>
    (await h.kube.apps.readNamespacedStatefulSet({ name: 'mysql', namespace: namespaceFor(slug) })).spec?.template.spec?.containers[0]?.image;

  it('re-applies a MySQL store on MySQL after the platform default moved to MariaDB, reading the family of a store that has none recorded', async () => {
    const before = h.engine({ platform: MYSQL_PLATFORM });
    await before.p.start();
    const created = await before.p.create(h.spec(h.name('mysql-era')), { actor: 'test' });
    expect(created.databaseServer).toBe('mysql');
    expect((await waitForStatus(before.p, created.id, ['Ready', 'Failed'])).status).toBe('Ready');
    expect(await dbImage(created.slug)).toBe(DATABASE_IMAGES.mysql);
    await before.p.stop(2_000);
    // as the migration leaves a store made before the column existed
    before.db.$client.prepare('UPDATE stores SET database_server = NULL WHERE id = ?').run(created.id);

    const after = h.engine({ platform: DEFAULT_PLATFORM_SETTINGS });
    await after.p.start();
    expect(after.p.get(created.id).databaseServer).toBeNull();
    await after.p.changePlan(created.id, 'standard', 'test');
    const moved = await waitForStatus(after.p, created.id, ['Ready', 'Failed']);
    expect(moved.status, moved.statusReason ?? '').toBe('Ready');
    expect(moved.databaseServer).toBe('mysql');
    expect(await dbImage(created.slug)).toBe(DATABASE_IMAGES.mysql);
    expect(after.p.events(created.id).map((e) => e.message)).toContain(
      `Database server recorded as mysql, the family of the running StatefulSet mysql (${DATABASE_IMAGES.mysql}); the store keeps it`);

    const fresh = await after.p.create(h.spec(h.name('mariadb-era')), { actor: 'test' });
    expect(fresh.databaseServer).toBe('mariadb');
    expect((await waitForStatus(after.p, fresh.id, ['Ready', 'Failed'])).status).toBe('Ready');
    expect(await dbImage(fresh.slug)).toBe(DATABASE_IMAGES.mariadb);
  });
});

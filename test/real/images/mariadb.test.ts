import { beforeAll, describe, expect, it } from 'vitest';
import { MYSQL_DATA_DIR, MYSQL_UID, MYSQL_VOLUME_PATH } from '../../../constructs/woocommerce/mysql.js';
import { fsGroupVolume, listeningSockets, useCleanup, useImage } from './support/prereqs.js';
import { Container, runToCompletion, waitFor } from './support/runc.js';

// The MariaDB stand-in run as constructs/mysql.ts runs the official mysql image: uid/gid 999 with
// fsGroup 999 on a volume at /var/lib/mysql, args --datadir=<volume>/data --skip-name-resolve, the
// MYSQL_* env, and the construct's own probe commands.
const ENV = { MYSQL_ROOT_PASSWORD: "r00t-'quote\\slash", MYSQL_DATABASE: 'wordpress', MYSQL_USER: 'wordpress', MYSQL_PASSWORD: 'user-pass-1' };
const ARGS = [`--datadir=${MYSQL_DATA_DIR}`, '--skip-name-resolve'];
const sqlPing = ['sh', '-c', 'MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql --protocol=TCP -h 127.0.0.1 -u root -e "SELECT 1"'];
const livenessPing = ['mysqladmin', 'ping', '--protocol=TCP', '-h', '127.0.0.1', '--silent'];

describe('mariadb stand-in (mysql image contract)', () => {
  const image = useImage('mariadb');
  const cleanup = useCleanup();
  const containers: Container[] = [];
  let volume: string;
  const start = async () => {
    const c = cleanup.container(
      await Container.start(image(), {
        args: ARGS,
        env: ENV,
        user: { uid: MYSQL_UID, gid: MYSQL_UID, fsGroup: MYSQL_UID },
        mounts: [{ source: volume, destination: MYSQL_VOLUME_PATH }],
      }),
    );
    containers.push(c);
    await waitFor('readiness probe (SELECT 1 as root over TCP)', async () => (await c.exec(sqlPing)).code === 0, 150_000, () => c.logs().slice(-2000));
    return c;
  };
  const asUser = (c: Container, sql: string, password = ENV.MYSQL_PASSWORD) =>
    c.exec(['mysql', '--protocol=TCP', '-h', '127.0.0.1', '-u', ENV.MYSQL_USER, '-N', '-B', ENV.MYSQL_DATABASE, '-e', sql], { env: { MYSQL_PWD: password } });

  beforeAll(() => {
    volume = cleanup.dir(fsGroupVolume(MYSQL_UID));
  });

  it('initialises from MYSQL_* on the first start and serves 3306 to the user with its password', async () => {
    const c = await start();
    expect(c.logs()).toMatch(/Initializing database files in \/var\/lib\/mysql\/data/);
    expect((await c.exec(livenessPing)).code).toBe(0);
    const created = await asUser(c, 'CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40)); INSERT INTO orders VALUES (1, "sample"); SELECT item FROM orders');
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('sample');
    // the wrong password is refused; the user sees only its database
    expect((await asUser(c, 'SELECT 1', 'wrong')).stderr).toMatch(/Access denied/);
    expect((await asUser(c, 'SHOW DATABASES')).stdout.split('\n')).toContain('wordpress');
    expect((await asUser(c, 'SHOW DATABASES')).stdout.split('\n')).not.toContain('mysql');
  });

  it('runs the server as uid 999 listening on every interface, data files owned by 999', async () => {
    const c = containers[0]!;
    const ps = await c.exec(['sh', '-c', 'for p in /proc/[0-9]*; do case "$(cat $p/comm)" in mysqld|mariadbd) stat -c %u $p;; esac; done; stat -c %u /var/lib/mysql/data/mysql']);
    expect(ps.stdout.trim().split('\n')).toEqual(['999', '999']);
    expect(await listeningSockets(c)).toContain('0.0.0.0:3306');
  });

  it('keeps its data across a restart on the same volume and does not initialise again', async () => {
    await containers[0]!.delete();
    const c = await start();
    expect(c.logs()).not.toMatch(/Initializing database files/);
    expect((await asUser(c, 'SELECT item FROM orders WHERE id = 1')).stdout.trim()).toBe('sample');
  });

  it('fails on a first start without a root password option, naming the variables', async () => {
    const empty = cleanup.dir(fsGroupVolume(MYSQL_UID));
    const logs = await runToCompletion(image(), { args: ARGS, env: {}, user: { uid: MYSQL_UID, gid: MYSQL_UID, fsGroup: MYSQL_UID }, mounts: [{ source: empty, destination: MYSQL_VOLUME_PATH }] });
    expect(logs).toMatch(/MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD/);
  });
});

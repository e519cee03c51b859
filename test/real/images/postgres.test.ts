import { beforeAll, describe, expect, it } from 'vitest';
import { fsGroupVolume, listeningSockets, useCleanup, useImage } from './support/prereqs.js';
import { Container, runToCompletion, waitFor } from './support/runc.js';

// The PostgreSQL stand-in with the official postgres image's contract, run as a restricted pod:
// uid/gid 999 with fsGroup 999, a volume at /var/lib/postgresql/data and PGDATA in a subdirectory
// of it (the image's documented way with volumes that are not empty, e.g. lost+found).
const VOLUME = '/var/lib/postgresql/data';
/** A documentation address (TEST-NET-1), only ever inside the container's private network namespace. */
const POD_IP = '192.0.2.10';
const ENV = { POSTGRES_USER: 'medusa', POSTGRES_PASSWORD: "pg-'secret", POSTGRES_DB: 'medusa', PGDATA: `${VOLUME}/pgdata` };

describe('postgres stand-in (postgres image contract)', () => {
  const image = useImage('postgres');
  const cleanup = useCleanup();
  const containers: Container[] = [];
  let volume: string;
  const start = async () => {
    const c = cleanup.container(await Container.start(image(), { env: ENV, user: { uid: 999, gid: 999, fsGroup: 999 }, mounts: [{ source: volume, destination: VOLUME }] }));
    containers.push(c);
    await waitFor('pg_isready over TCP', async () => (await c.exec(['pg_isready', '-h', '127.0.0.1', '-p', '5432'])).code === 0, 120_000, () => c.logs().slice(-2000));
    return c;
  };
  const sql = (c: Container, query: string, password = ENV.POSTGRES_PASSWORD, host = '127.0.0.1') =>
    c.exec(['psql', '-q', '-h', host, '-U', ENV.POSTGRES_USER, '-d', ENV.POSTGRES_DB, '-tAc', query], { env: { PGPASSWORD: password } });

  beforeAll(() => {
    volume = cleanup.dir(fsGroupVolume(999));
  });

  it('runs initdb from POSTGRES_* on the first start; the user logs in over TCP with its password only', async () => {
    const c = await start();
    expect(c.logs()).toMatch(/PostgreSQL init process complete/);
    expect((await sql(c, 'SELECT current_user, current_database()')).stdout.trim()).toBe('medusa|medusa');
    expect((await sql(c, 'CREATE TABLE orders (id int); INSERT INTO orders VALUES (42); SELECT id FROM orders')).stdout.trim()).toBe('42');
    // like the official image, loopback is trusted (initdb's default); every other address needs
    // the password (host all all all scram-sha-256): a pod address stands in on the loopback device
    expect((await c.inNetwork(['ip', 'addr', 'add', `${POD_IP}/32`, 'dev', 'lo'])).code).toBe(0);
    expect((await sql(c, 'SELECT current_user', ENV.POSTGRES_PASSWORD, POD_IP)).stdout.trim()).toBe('medusa');
    expect((await sql(c, 'SELECT 1', 'wrong', POD_IP)).stderr).toMatch(/password authentication failed for user "medusa"/);
  });

  it('runs the server as uid 999 on every interface with PGDATA owned by 999', async () => {
    const c = containers[0]!;
    const ps = await c.exec(['sh', '-c', 'for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = postgres ] && stat -c %u $p; done | sort -u; stat -c %u:%a "$PGDATA"']);
    expect(ps.stdout.trim().split('\n')).toEqual(['999', '999:700']);
    expect(await listeningSockets(c)).toContain('0.0.0.0:5432');
  });

  it('keeps its data across a restart and does not run initdb again', async () => {
    await containers[0]!.delete();
    const c = await start();
    expect(c.logs()).not.toMatch(/init process complete/);
    expect((await sql(c, 'SELECT id FROM orders')).stdout.trim()).toBe('42');
  });

  it('fails on a first start without POSTGRES_PASSWORD, saying so', async () => {
    const empty = cleanup.dir(fsGroupVolume(999));
    const logs = await runToCompletion(image(), { env: { PGDATA: `${VOLUME}/pgdata` }, user: { uid: 999, gid: 999, fsGroup: 999 }, mounts: [{ source: empty, destination: VOLUME }] });
    expect(logs).toMatch(/superuser password is not specified/);
  });
});

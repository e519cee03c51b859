import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort, medusaDependencies, medusaProject, run, start, startPostgres, startRedis, tempDir, waitFor,
  type Postgres, type Redis, type Started,
} from './medusa-stack.js';

// A real Medusa order in every CI run, without a cluster: Debian's PostgreSQL and Redis on loopback,
// the image recipe's own dependencies, migrations, setup script and the store check's order script
// (the files the setup and store-check Jobs run), against a real `medusa start` server.

const ADMIN = { email: 'admin@store.test', password: 'ci-admin-password-0123' };
const MINUTE = 60_000;

let dir: string;
let pg: Postgres;
let redis: Redis;
let app: string;
let medusa: string;
let server: Started | undefined;
let serverUrl: string | undefined;
const measured: Record<string, number> = {};

function storeEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    JWT_SECRET: 'ci-jwt-secret-0123456789abcdef',
    COOKIE_SECRET: 'ci-cookie-secret-0123456789abcdef',
    MEDUSA_WORKER_MODE: 'shared',
    // the admin bundle is only made by `medusa build` (the image build); the server runs from source here
    MEDUSA_ADMIN_DISABLED: 'true',
    MEDUSA_COOKIE_SECURE: 'false',
    MEDUSA_DISABLE_TELEMETRY: 'true',
    MEDUSA_ADMIN_EMAIL: ADMIN.email,
    MEDUSA_ADMIN_PASSWORD: ADMIN.password,
    STORE_TITLE: 'CI store',
    STORE_CURRENCY: 'EUR',
    STORE_COUNTRIES: 'de,fr',
  };
}

function timed<T>(what: string, f: () => T): T {
  const t = Date.now();
  const result = f();
  measured[what] = Date.now() - t;
  return result;
}

const migrate = (env: NodeJS.ProcessEnv) => run(medusa, ['db:migrate'], { cwd: app, env, timeoutMs: 5 * MINUTE });
const setup = (env: NodeJS.ProcessEnv) => run(medusa, ['exec', './src/scripts/setup-store.ts'], { cwd: app, env, timeoutMs: 5 * MINUTE });
/** The setup script's `<object> created|exists` lines. */
const outcomes = (out: string) => [...out.matchAll(/setup-store: (.+?) (created|exists)"/g)].map((m) => `${m[1]} ${m[2]}`);

beforeAll(async () => {
  dir = tempDir('medusa-order-');
  [pg, redis] = await Promise.all([startPostgres(dir), startRedis(dir)]);
  const deps = timed('dependencies', () => medusaDependencies());
  if (deps.installed) measured.npmCiCold = measured.dependencies!;
  app = medusaProject(dir, deps.dir);
  medusa = join(app, 'node_modules', '.bin', 'medusa');
  timed('migrate', () => migrate(storeEnv(pg.url)));
}, 25 * MINUTE);

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`medusa order test (ms, RSS in MiB): ${JSON.stringify(measured)}`);
}, MINUTE);

describe('Medusa store from the image recipe (PostgreSQL and Redis on loopback)', () => {
  it('completes the store when the setup script runs again after being killed mid-way', async () => {
    const env = storeEnv(pg.url);
    const killed = start(medusa, ['exec', './src/scripts/setup-store.ts'], { cwd: app, env });
    // killed the moment it reports the stock location: the shipping option, product, stock and key are still to come
    const gone = new Promise<void>((ok) => killed.child.once('exit', () => ok()));
    killed.child.stdout!.on('data', () => {
      if (/setup-store: stock location/.test(killed.output())) process.kill(-killed.child.pid!, 'SIGKILL');
    });
    await Promise.race([gone, new Promise((_, fail) => setTimeout(() => fail(new Error(`setup never reached the stock location:\n${killed.output()}`)), 3 * MINUTE))]);
    const before = outcomes(killed.output());
    expect(before).toContain('admin user created');
    expect(killed.output()).not.toMatch(/setup-store: complete/);

    const rerun = timed('setup', () => setup(env));
    expect(rerun).toMatch(/setup-store: complete/);
    // what the killed run made is found, not duplicated; what it had not reached is created now
    expect(outcomes(rerun)).toContain('admin user exists');
    expect(outcomes(rerun)).toContain('product created');
    expect(outcomes(rerun)).toContain('publishable key created');
  }, 10 * MINUTE);

  it('finds every object on a second run of the setup script and creates none', () => {
    const again = outcomes(timed('setupRerun', () => setup(storeEnv(pg.url))));
    expect(again).toEqual(expect.arrayContaining(['admin user exists', 'region exists', 'shipping option exists', 'product exists', 'stock exists', 'publishable key exists']));
    expect(again.filter((o) => o.endsWith('created'))).toEqual([]);
  }, 10 * MINUTE);

  it('takes a real order through the Store API with the store check\'s own script, and the order is cancelled afterwards', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    serverUrl = base;
    const started = Date.now();
    server = start(medusa, ['start'], { cwd: app, env: { ...storeEnv(pg.url), PORT: String(port) } });
    await waitFor('medusa server', server, async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200, 3 * MINUTE);
    measured.serverStart = Date.now() - started;
    measured.serverRssIdleMiB = rssMiB(server);

    const out = timed('order', () => run('node', [join(app, 'check', 'place-order.mjs')], {
      env: { ...storeEnv(pg.url), CONNECT_URL: base, ATTEMPTS: '10', DELAY_SECONDS: '2' },
      timeoutMs: 5 * MINUTE,
    }));
    measured.serverRssAfterOrderMiB = rssMiB(server);
    const result = JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as { orderId: string; status: string };
    expect(result.status).toBe('canceled');

    // read back independently through the Admin API
    const login = await fetch(`${base}/auth/user/emailpass`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const listed = await fetch(`${base}/admin/orders?id=${result.orderId}&fields=id,status,email,currency_code,total`, { headers: auth });
    const { orders } = (await listed.json()) as { orders: { id: string; status: string; email: string; currency_code: string; total: number }[] };
    expect(orders).toEqual([expect.objectContaining({ id: result.orderId, status: 'canceled', email: 'store-check@example.com', currency_code: 'eur' })]);
    // 19 for the sample product and 5 for shipping
    expect(orders[0]!.total).toBe(24);
    // cancelling released the reservation
    const reservations = await fetch(`${base}/admin/reservations?fields=id,line_item_id`, { headers: auth });
    expect(((await reservations.json()) as { reservations: unknown[] }).reservations).toEqual([]);
  }, 10 * MINUTE);

  it('resets the administrator\'s password with the reset Job\'s script: the new one signs in, the old one no longer does', async () => {
    const fresh = 'ci-new-admin-password-456';
    timed('reset', () => run(medusa, ['exec', './src/scripts/reset-admin-password.ts'], {
      cwd: app, env: { ...storeEnv(pg.url), MEDUSA_ADMIN_PASSWORD: fresh }, timeoutMs: 5 * MINUTE,
    }));
    const base = serverUrl!;
    const attempt = (password: string) => fetch(`${base}/auth/user/emailpass`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN.email, password }),
    }).then((r) => r.status);
    // once more on a socket the server closed while idle (its keep-alive ended during the reset)
    const signIn = (password: string) => attempt(password).catch(() => attempt(password));
    expect(await signIn(fresh)).toBe(200);
    expect(await signIn(ADMIN.password)).toBe(401);
  }, 5 * MINUTE);
});

function rssMiB(proc: Started): number {
  const status = readFileSync(`/proc/${proc.child.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

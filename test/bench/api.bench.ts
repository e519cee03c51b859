import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDb } from '../../src/db/client.js';
import { storeEvents, stores, type StoreStatus } from '../../src/db/schema.js';
import { stepConditionsOf } from '../../src/provisioner/conditions.js';
import { pacedLoad } from './lib/paced.js';
import { startPlatformProcess, type PlatformProcess } from './lib/platform.js';
import { round, toMiB } from './lib/stats.js';

export interface ApiBenchOptions {
  readonly mainJs: string;
  readonly kubeconfig: string;
  readonly workDir: string;
  /** Store rows in the database. */
  readonly stores: number;
  /** Seconds of load per endpoint (after a warm-up of a quarter of it). */
  readonly durationSeconds: number;
  /** Concurrent keep-alive connections of the load generator. */
  readonly connections: number;
  /** Offered load of the paced runs (requests per second over all connections). */
  readonly pacedRps: number;
  readonly logLevel: string;
  readonly log: (msg: string) => void;
  /** Extra node flags for the platform process (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

export interface EndpointResult {
  readonly endpoint: string;
  /** `saturated`: as fast as the server answers; `paced`: a fixed offered rate. */
  readonly load: string;
  readonly requests: number;
  readonly rps: number;
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  readonly non2xx: number;
  readonly errors: number;
  /** The platform's event-loop delay during the measured window (perf_hooks). */
  readonly loopLagMs: { readonly p99: number; readonly max: number };
}

export interface ApiBenchResult {
  readonly stores: number;
  readonly events: number;
  readonly connections: number;
  readonly pacedRps: number;
  readonly durationSeconds: number;
  readonly logLevel: string;
  readonly endpoints: readonly EndpointResult[];
  readonly rssMiB: { readonly idle: number; readonly afterLoad: number; readonly peak: number };
  readonly heapUsedMiB: number;
  readonly seedSeconds: number;
}

const STATUS_MIX: readonly StoreStatus[] = [...Array<StoreStatus>(18).fill('Ready'), 'Failed', 'Deleted'];
const STEPS = ['namespace', 'guardrails', 'secrets', 'network-policy', 'mysql', 'wordpress', 'store-setup', 'ingress', 'store-check'];

/**
 * Rows written straight through the db layer (the stores need not exist in the cluster): none is
 * Pending, Provisioning or Deleting, so the platform does not try to reconcile them at start-up.
 * Each gets a realistic timeline (started + succeeded per step) and the step conditions folded from it.
 */
export function seedStores(databasePath: string, count: number): { ids: string[]; events: number } {
  const db = openDb(databasePath);
  const ids: string[] = [];
  let events = 0;
  const start = Date.now() - count * 60_000;
  db.$client.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const slug = `seeded-${String(i).padStart(6, '0')}`;
      const createdAt = new Date(start + i * 60_000);
      const status = STATUS_MIX[i % STATUS_MIX.length]!;
      const rows = STEPS.flatMap((step, s) => [
        { storeId: id, step, phase: 'started' as const, message: `${step} started`, attempt: 1, at: new Date(createdAt.getTime() + s * 3000) },
        { storeId: id, step, phase: 'succeeded' as const, message: `${step} ready`, durationMs: 2500, attempt: 1, at: new Date(createdAt.getTime() + s * 3000 + 2500) },
      ]);
      db.insert(stores).values({
        id, slug, title: `Seeded store ${i}`, engine: 'woocommerce', plan: (['small', 'standard', 'large'] as const)[i % 3]!,
        adminEmail: `owner@${slug}.example.com`, customDomain: null, currency: 'USD', status,
        statusReason: status === 'Failed' ? 'JobFailed: store-setup failed' : null,
        failedStep: status === 'Failed' ? 'store-setup' : null,
        storeUrl: `http://${slug}.127.0.0.1.nip.io`, adminUrl: `http://${slug}.127.0.0.1.nip.io/wp-admin/`,
        observedGeneration: status === 'Ready' ? 1 : 0, createdBy: 'bench', createdAt, updatedAt: createdAt,
        readyAt: status === 'Ready' ? new Date(createdAt.getTime() + 30_000) : null,
        deletedAt: status === 'Deleted' ? new Date(createdAt.getTime() + 50_000) : null,
        stepConditions: stepConditionsOf(rows), // as the platform's timeline writes leave them
      }).run();
      db.insert(storeEvents).values(rows).run();
      events += rows.length;
      ids.push(id);
    }
  })();
  db.$client.close();
  return { ids, events };
}

/** Saturating load (autocannon, `connections` closed loops), or open-loop load at `rate` req/s. */
async function load(name: string, p: PlatformProcess, opts: ApiBenchOptions, path: (i: number) => string, rate?: number): Promise<EndpointResult> {
  let n = 0;
  const headers = { authorization: `Bearer ${p.adminKey}` };
  const saturate = (duration: number) =>
    autocannon({
      url: p.url,
      connections: opts.connections,
      duration,
      headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path(n++) }) }],
    });
  await saturate(Math.max(1, Math.round(opts.durationSeconds / 4))); // warm-up: JIT, page cache
  await p.stats(true);
  let result: Omit<EndpointResult, 'loopLagMs'>;
  if (rate === undefined) {
    const r = await saturate(opts.durationSeconds);
    result = {
      endpoint: name,
      load: 'saturated',
      requests: r.requests.total,
      rps: round(r.requests.average),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: round(r.latency.mean) },
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
    };
  } else {
    const r = await pacedLoad({ url: p.url, headers, rate, durationSeconds: opts.durationSeconds, connections: opts.connections, path: (i) => path(n + i) });
    const l = r.latencyMs;
    result = {
      endpoint: name,
      load: `paced ${rate} req/s`,
      requests: r.requests,
      rps: round(r.rps),
      latencyMs: { p50: round(l.p50), p90: round(l.p90), p99: round(l.p99), max: round(l.max), mean: round(l.mean) },
      non2xx: r.non2xx,
      errors: r.errors,
    };
  }
  const lag = (await p.stats()).lagMs;
  const withLag: EndpointResult = { ...result, loopLagMs: { p99: round(lag.p99), max: round(lag.max) } };
  opts.log(`api: ${name}, ${result.load}: ${result.rps} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}, loop lag p99 ${withLag.loopLagMs.p99} ms`);
  return withLag;
}

export async function runApiBench(opts: ApiBenchOptions): Promise<ApiBenchResult> {
  const databasePath = join(opts.workDir, 'api-bench.db');
  const t0 = performance.now();
  const { ids, events } = seedStores(databasePath, opts.stores);
  const seedSeconds = round((performance.now() - t0) / 1000);
  opts.log(`api: seeded ${ids.length} stores and ${events} timeline events in ${seedSeconds} s`);
  const p = await startPlatformProcess({
    mainJs: opts.mainJs, databasePath, kubeconfig: opts.kubeconfig, concurrency: 3,
    logFile: join(opts.workDir, 'api-platform.log'), logLevel: opts.logLevel,
    ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
  });
  try {
    // sanity: the first page really comes from the 10k rows
    const res = await fetch(`${p.url}/api/v1/stores`, { headers: { authorization: `Bearer ${p.adminKey}` } });
    const page = (await res.json()) as { items?: unknown[] };
    if (res.status !== 200 || !page.items?.length) throw new Error(`GET /api/v1/stores answered ${res.status}`);
    await new Promise((r) => setTimeout(r, 1000));
    const idle = p.rssBytes();
    const list = 'GET /api/v1/stores (first page, 50 items)';
    const one = `GET /api/v1/stores/:id (random of ${ids.length})`;
    const byId = (i: number) => `/api/v1/stores/${ids[(i * 7919) % ids.length]}`;
    const endpoints = [
      await load(list, p, opts, () => '/api/v1/stores'),
      await load(one, p, opts, byId),
      await load(list, p, opts, () => '/api/v1/stores', opts.pacedRps),
      await load(one, p, opts, byId, opts.pacedRps),
    ];
    const stats = await p.stats();
    return {
      stores: ids.length,
      events,
      connections: opts.connections,
      pacedRps: opts.pacedRps,
      durationSeconds: opts.durationSeconds,
      logLevel: opts.logLevel,
      endpoints,
      rssMiB: { idle: toMiB(idle), afterLoad: toMiB(p.rssBytes()), peak: toMiB(p.peakRssBytes()) },
      heapUsedMiB: toMiB(stats.memory.heapUsed),
      seedSeconds,
    };
  } finally {
    await p.stop();
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './stats.js';

/** What the preloaded loop monitor (support/loop-monitor.mjs) reports. */
export interface ProcessStats {
  readonly lagMs: { min: number; mean: number; p50: number; p99: number; max: number; samples: number };
  readonly eventLoopUtilization: number;
  readonly memory: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
}

export interface PlatformProcessOptions {
  readonly mainJs: string;
  readonly databasePath: string;
  readonly kubeconfig: string;
  readonly concurrency: number;
  /** Platform log, kept for inspection after the run. */
  readonly logFile: string;
  readonly logLevel?: string;
  readonly env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof` when profiling a run. */
  readonly nodeArgs?: readonly string[];
}

export interface PlatformProcess {
  readonly url: string;
  readonly pid: number;
  /** Bearer token of the bootstrap admin key. */
  readonly adminKey: string;
  /** Loop delay since the last reset, and memory now; `reset` starts a new window, `gc` collects first. */
  stats(reset?: boolean, gc?: boolean): Promise<ProcessStats>;
  /** Resident set size from /proc (the kernel's view, independent of the process). */
  rssBytes(): number;
  /** Peak RSS (VmHWM) since the process started. */
  peakRssBytes(): number;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash or an evicted pod would end it. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return Number.NaN;
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

const running = new Set<PlatformProcess>();

/** Stops every platform process still running (the benchmark's signal handler calls this). */
export async function stopAllPlatforms(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop(5_000)));
}

const MONITOR = new URL('../support/loop-monitor.mjs', import.meta.url).href;

/** The Node flags the image and `npm start` run the platform with (Dockerfile CMD). */
const PRODUCTION_NODE_ARGS = ['--max-semi-space-size=4'];

/**
 * The platform (src/main.ts, transpiled) as a process of its own, configured like production except
 * for limits a load test must lift (rate limits, MAX_STORES), so its RSS is the platform's alone.
 */
export async function startPlatformProcess(opts: PlatformProcessOptions): Promise<PlatformProcess> {
  const port = await freePort();
  const adminKey = randomBytes(24).toString('base64url');
  const log = openSync(opts.logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...(opts.nodeArgs ?? PRODUCTION_NODE_ARGS), '--import', MONITOR, opts.mainJs], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: opts.logLevel ?? 'info',
      DATABASE_PATH: opts.databasePath,
      KUBECONFIG: opts.kubeconfig,
      CONCURRENCY: String(opts.concurrency),
      MAX_STORES: '100000',
      RATE_LIMIT_CREATE_PER_MINUTE: '1000000',
      RATE_LIMIT_MUTATION_PER_MINUTE: '1000000',
      RATE_LIMIT_READ_PER_MINUTE: '1000000',
      STORE_PLATFORM_ADMIN_KEY: adminKey,
      ...opts.env,
    },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited ${code ?? signal}`;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`platform ${exited} during start-up; see ${opts.logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`platform did not answer /healthz within 60 s; see ${opts.logFile}`);
    }
    await sleep(100);
  }

  let nextId = 0;
  const pending = new Map<number, (s: ProcessStats) => void>();
  child.on('message', (msg: { type?: string; id?: number } & ProcessStats) => {
    if (msg?.type === 'bench:stats' && typeof msg.id === 'number') {
      pending.get(msg.id)?.(msg);
      pending.delete(msg.id);
    }
  });
  const pid = child.pid!;
  const handle: PlatformProcess = {
    url,
    pid,
    adminKey,
    stats: (reset = false, gc = false) =>
      new Promise<ProcessStats>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('platform did not answer the stats request within 10 s'));
        }, 10_000);
        pending.set(id, (s) => {
          clearTimeout(timer);
          resolve(s);
        });
        child.send({ type: 'bench:stats', id, reset, gc });
      }),
    rssBytes: () => procStatus(pid, 'VmRSS'),
    peakRssBytes: () => procStatus(pid, 'VmHWM'),
    stop: async (graceMs = 15_000) => {
      if (exited) {
        running.delete(handle);
        return;
      }
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
      running.delete(handle);
    },
    kill: async () => {
      if (!exited) {
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await done;
      }
      running.delete(handle);
    },
  };
  running.add(handle);
  return handle;
}

/** A small typed client over the platform's HTTP API. */
export class ApiClient {
  public constructor(private readonly url: string, private readonly key: string) {}

  public async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

export const platformLogFile = (dir: string, name: string): string => join(dir, `${name}.log`);

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../src/auth/api-keys.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { ApiKeysRepo } from '../../src/db/repos/api-keys-repo.js';
import { createLogger } from '../../src/logger.js';
import { startPlatform, type Platform } from '../../src/server.js';
import { deleteNamespace, kubeconfigPath } from '../support/cluster.js';

// The whole platform (engine + API) over real HTTP on a loopback port, against the simulated cluster.

export interface ApiHarness {
  readonly platform: Platform;
  readonly url: string;
  readonly adminKey: string;
  readonly adminKeyId: string;
  readonly viewerKey: string;
  /** A unique, valid store name with the given prefix (its namespace is removed by close()). */
  name(prefix: string): string;
  /** fetch against the API with the admin key unless `key` is given (null: no Authorization). */
  call(method: string, path: string, opts?: { body?: unknown; key?: string | null; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function startApi(overrides: Partial<Config> = {}, seams: Parameters<typeof startPlatform>[2] = {}): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-api-'));
  const bootstrapKey = `bootstrap-${randomBytes(24).toString('hex')}`;
  const config = defaultConfig({
    HOST: '127.0.0.1',
    PORT: 0,
    DATABASE_PATH: join(dir, 'platform.db'),
    KUBECONFIG: kubeconfigPath(),
    LOG_LEVEL: 'silent',
    SSE_HEARTBEAT_SECONDS: 1,
    STORE_PLATFORM_ADMIN_KEY: bootstrapKey,
    WEB_DIR: join(dir, 'no-web'),
    // a test's delete purges at once unless it is about the undelete window
    UNDELETE_WINDOW_HOURS: 0,
    // a store whose daily slot falls within its test would get a backup the test did not ask for
    ...(overrides.BACKUP_S3_ENDPOINT !== undefined ? { BACKUP_SCHEDULE_HOURS: 0 } : {}),
    ...overrides,
  });
  const platform = await startPlatform(config, createLogger((process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent'), seams);
  const keys = new ApiKeysRepo(platform.db);
  const admin = createApiKey(keys, { role: 'admin', name: 'api test admin' });
  const viewer = createApiKey(keys, { role: 'viewer', name: 'api test viewer', ownerId: 'default' });
  const names: string[] = [];
  const url = platform.url;
  return {
    platform,
    url,
    adminKey: admin.key,
    adminKeyId: admin.id,
    viewerKey: viewer.key,
    name(prefix) {
      const n = `${prefix}-${randomBytes(3).toString('hex')}`;
      names.push(n);
      return n;
    },
    call(method, path, opts = {}) {
      const key = opts.key === undefined ? admin.key : opts.key;
      const headers: Record<string, string> = { ...(key !== null ? { authorization: `Bearer ${key}` } : {}), ...opts.headers };
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(url + path, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    },
    async close() {
      await platform.close();
      await Promise.all(names.map((n) => deleteNamespace(`store-${n}`, false).catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const specFor = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  engine: 'woocommerce',
  plan: 'small',
  adminEmail: 'owner@example.com',
  title: `API test ${name}`,
  currency: 'USD',
  ...over,
});

export interface SseMessage {
  readonly event: string;
  readonly id?: string;
  readonly data: unknown;
}

/** Reads a Server-Sent Events response until the server closes it (or `timeoutMs`). */
export async function readSse(res: Response, timeoutMs: number, until?: (m: SseMessage) => boolean): Promise<{ messages: SseMessage[]; comments: number }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: SseMessage[] = [];
  let comments = 0;
  let buf = '';
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (block.startsWith(':')) {
          comments++;
          continue;
        }
        const fields = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
        if (fields.event === undefined) continue;
        const m: SseMessage = { event: fields.event, ...(fields.id !== undefined ? { id: fields.id } : {}), data: JSON.parse(fields.data ?? 'null') };
        messages.push(m);
        if (until?.(m)) {
          await reader.cancel();
          return { messages, comments };
        }
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return { messages, comments };
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { bootstrapAdminKey } from './auth/api-keys.js';
import { checkBackupTarget } from './backup/s3-check.js';
import { backupSettings, ConfigError, platformSettings, type Config } from './config.js';
import { openDb, type Db } from './db/client.js';
import { ApiKeysRepo } from './db/repos/api-keys-repo.js';
import { AuditRepo } from './db/repos/audit-repo.js';
import { createKubeClients, DEFAULT_RETRY_POLICY } from './k8s/index.js';
import type { Logger } from './logger.js';
import { Provisioner, type ProvisionerDeps } from './provisioner/index.js';

/** The repository (or installed package) root: the nearest folder above this file with a package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The dashboard build: WEB_DIR, else dist/web or src/web/dist when one exists. */
export function resolveWebDir(config: Config, root: string): string | undefined {
  if (config.WEB_DIR !== undefined) return resolve(config.WEB_DIR);
  return [join(root, 'dist', 'web'), join(root, 'src', 'web', 'dist')].find((d) => existsSync(join(d, 'index.html')));
}

export interface Platform {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly provisioner: Provisioner;
  /** The address the API listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** Drains the queue (bounded), closes the server and the database. */
  close(): Promise<void>;
}

/** Wires the platform from a parsed Config: database, admin key, Kubernetes, engine, HTTP. Listens. */
export async function startPlatform(config: Config, log: Logger, seams: Pick<ProvisionerDeps, 'backupSchedule'> = {}): Promise<Platform> {
  const root = packageRoot();
  const backups = backupSettings(config);
  if (backups !== undefined) {
    // a target that cannot be reached stops the start, in one line, rather than failing every backup later
    await checkBackupTarget(backups).catch((err: unknown) => {
      throw new ConfigError((err as Error).message, { cause: err });
    });
  }
  const db = openDb(config.DATABASE_PATH);
  if (config.STORE_PLATFORM_ADMIN_KEY !== undefined) bootstrapAdminKey(new ApiKeysRepo(db), config.STORE_PLATFORM_ADMIN_KEY);
  const kube = createKubeClients(config.KUBECONFIG);
  const provisioner = new Provisioner({
    ...seams,
    db,
    kube,
    log,
    options: {
      concurrency: config.CONCURRENCY,
      ...(config.STEP_TIMEOUT_SECONDS !== undefined ? { stepTimeoutSeconds: config.STEP_TIMEOUT_SECONDS } : {}),
      teardownOnFailure: config.TEARDOWN_FAILED_STORES,
      maxStores: config.MAX_STORES,
      undeleteWindowHours: config.UNDELETE_WINDOW_HOURS,
      platform: platformSettings(config),
      retry: DEFAULT_RETRY_POLICY,
      interactiveTimeoutMs: config.KUBE_REQUEST_TIMEOUT_SECONDS * 1000,
      ...(backups !== undefined ? { backups } : {}),
    },
  });
  const audit = new AuditRepo(db);
  const webDir = resolveWebDir(config, root);
  const app = await buildApp({
    config,
    log,
    db,
    provisioner,
    readiness: { pingKubernetes: (timeoutMs) => kube.ping(timeoutMs) },
    kubeRequestCounts: () => kube.requestCounts(),
    kubeWatches: () => kube.changes.states(),
    audit: { record: (e) => void audit.record(e) },
    version: packageVersion(root),
    ...(webDir !== undefined ? { webDir } : {}),
  });
  await provisioner.start();
  let address: string;
  try {
    address = await app.listen({ host: config.HOST, port: config.PORT });
  } catch (err) {
    await provisioner.stop(1000);
    db.$client.close();
    throw err;
  }
  log.info({ url: address, kubernetes: kube.server, webDir: webDir ?? null }, 'Store Platform API listening');
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    provisioner,
    url: address,
    close: () =>
      (closing ??= (async () => {
        await provisioner.stop(10_000);
        await app.close();
        db.$client.close();
      })()),
  };
}

import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, startComponent, stopComponent, up } from '../../infra/cluster/cluster.js';
import type { ComponentName } from '../../infra/cluster/components.js';
import { clusterDir } from '../../infra/cluster/paths.js';

export { UNAVAILABLE_IMAGE_REGISTRY } from '../../infra/cluster/kwok-config.js';

/** The kubeconfig of the cluster under test: $KUBECONFIG when set, else the simulated cluster's. */
export function kubeconfigPath(): string {
  const path = process.env.KUBECONFIG ?? join(clusterDir(), 'kubeconfig');
  if (!existsSync(path)) throw new Error(`no kubeconfig at ${path}: run npm run cluster:up`);
  return path;
}

export function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return kc;
}

/** A fresh namespace with a unique name; delete it with deleteNamespace in afterAll. */
export async function createTestNamespace(prefix: string, labels: Record<string, string> = {}): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kubeConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name, labels } } });
  return name;
}

/** Deletes a namespace and, unless `wait` is false, waits until the API server reports it gone. */
export async function deleteNamespace(name: string, wait = true, timeoutMs = 60_000): Promise<void> {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  try {
    await core.deleteNamespace({ name });
  } catch (err) {
    if (statusOf(err) === 404) return;
    throw err;
  }
  if (!wait) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await core.readNamespace({ name });
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`namespace ${name} still present after ${timeoutMs / 1000}s`);
}

export function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? Number((err as { code: unknown }).code) : undefined;
}

/** The API server's Status message carried by a client error. */
export function messageOf(err: unknown): string {
  const body = typeof err === 'object' && err !== null && 'body' in err ? (err as { body: unknown }).body : undefined;
  if (typeof body !== 'string') return String(err);
  try {
    return String((JSON.parse(body) as { message?: unknown }).message ?? body);
  } catch {
    return body;
  }
}

type FaultComponent = Extract<ComponentName, 'kube-apiserver' | 'etcd'>;

/**
 * A simulated cluster of the test's own, on its own ports, for fault tests: stopping the shared
 * cluster's API server would fail every other test file running at the same time. Starts in ~6 s.
 */
export interface PrivateCluster {
  /** The cluster's files; its components' command lines name it. */
  readonly dir: string;
  readonly kubeconfigPath: string;
  kubeConfig(): KubeConfig;
  stop(name: FaultComponent): Promise<void>;
  start(name: FaultComponent): Promise<void>;
  /** Stops a component, keeps it down for `downMs`, then starts it again and waits for health. */
  restart(name: FaultComponent, downMs?: number): Promise<void>;
  /** Stops every component and removes the cluster's files. */
  destroy(): Promise<void>;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = join(mkdtempSync(join(tmpdir(), 'sp-cluster-')), 'cluster');
  const state = await up(() => undefined, {}, dir);
  return {
    dir,
    kubeconfigPath: state.kubeconfig,
    kubeConfig: () => {
      const kc = new KubeConfig();
      kc.loadFromFile(state.kubeconfig);
      return kc;
    },
    stop: (name) => stopComponent(name, dir),
    start: (name) => startComponent(name, dir),
    restart: async (name, downMs = 0) => {
      await stopComponent(name, dir);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await startComponent(name, dir);
    },
    destroy: () => down(() => undefined, dir),
  };
}

/** Fault injection on the shared cluster would break the test files running beside it. */
export function restartComponent(): never {
  throw new Error('fault tests must use startPrivateCluster(): stopping the shared cluster fails other test files');
}
export { restartComponent as stopComponent, restartComponent as startComponent };

import { CoreV1Api, Exec, KubeConfig, type V1Pod, type V1SecurityContext } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import { readState, type ClusterState } from '../../infra/cluster/cluster.js';
import { REAL_NODE } from '../../infra/cluster/real-node/host.js';
import { INGRESS, STORAGE_CLASS } from '../../infra/cluster/real-node/index.js';
import { BUSYBOX_IMAGE } from '../../infra/cluster/real-node/addon-images.js';
import { clusterDir } from '../../infra/cluster/paths.js';
import { paths } from '../../infra/cluster/real-node/node.js';
import { imageOverrideEnv, standInImage, type ImageName } from '../../infra/images/images.js';

/** The running cluster with its real node; a test of real pods fails (never skips) without one. */
export function realCluster(): ClusterState & { realNode: NonNullable<ClusterState['realNode']> } {
  const state = readState(clusterDir());
  if (!state?.realNode?.ingressServiceIp) {
    throw new Error('no real node: start the cluster with `npm run cluster:up -- --real-node` (root, see the README)');
  }
  return state as ClusterState & { realNode: NonNullable<ClusterState['realNode']> };
}

export function realKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(realCluster().kubeconfig);
  return kc;
}

/** Scheduling that puts a pod on the real node (it is tainted so nothing else lands there). */
export const ON_REAL_NODE = {
  nodeSelector: { [REAL_NODE.poolLabel]: REAL_NODE.pool },
  tolerations: [{ key: REAL_NODE.poolLabel, operator: 'Equal', value: REAL_NODE.pool, effect: 'NoSchedule' }],
} as const;

export const BUSYBOX = BUSYBOX_IMAGE.ref;

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Pod Security "restricted" settings for a test pod's container. */
export const RESTRICTED_CONTAINER: V1SecurityContext = {
  allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000,
  capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * A shell snippet printing OPEN when a TCP connection to ip:port is accepted, REFUSED otherwise
 * (refused, dropped or timed out). busybox nc has no -z: a failed connect exits 1, an accepted one
 * runs until `timeout` ends it or the server closes.
 */
export function tcpProbe(ip: string, port: number): string {
  return `timeout 4 nc -w 3 ${ip} ${port} </dev/null >/dev/null 2>&1; rc=$?; [ $rc -eq 1 ] && echo REFUSED || echo OPEN`;
}

/** Polls `check` until it returns a value (not undefined), for hooks where expect.poll is not allowed. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly location?: string;
  readonly body: string;
  /** The response headers, lower-case names (empty when nothing answered). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A request {@link viaIngress} sends: GET without a body by default; a JSON body is sent as such. */
export interface IngressRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly timeoutMs?: number;
}

/**
 * A request through the ingress controller's loopback port with a Host header (fetch may not set Host).
 * Resolves with status 0 when nothing answers.
 */
export function viaIngress(host: string, path = '/', opts: IngressRequest = {}): Promise<HttpAnswer> {
  const port = realCluster().realNode.ports.ingress;
  const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
  const headers = { host, ...opts.headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) };
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, timeout: opts.timeoutMs ?? 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '', headers: {} }));
    req.end(body);
  });
}

export interface Ran {
  readonly exitCode: number;
  readonly logs: string;
}

/**
 * Runs `sh -c script` in a one-off busybox pod on the real node and returns its exit code and output.
 * `labels` place it under a NetworkPolicy's selectors.
 */
export async function runOnce(namespace: string, script: string, opts: { labels?: Record<string, string>; timeoutMs?: number } = {}): Promise<Ran> {
  const core = realKubeConfig().makeApiClient(CoreV1Api);
  const name = uniqueName('probe');
  const pod: V1Pod = {
    metadata: { name, namespace, labels: { 'store-platform.io/test': 'probe', ...opts.labels } },
    spec: {
      ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], restartPolicy: 'Never', automountServiceAccountToken: false,
      containers: [{ name: 'probe', image: BUSYBOX, imagePullPolicy: 'Never', command: ['/bin/sh', '-c', script], securityContext: RESTRICTED_CONTAINER }],
    },
  };
  await core.createNamespacedPod({ namespace, body: pod });
  try {
    const done = await waitForPod(core, namespace, name, (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed', opts.timeoutMs ?? 60_000);
    const exitCode = done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? -1;
    const logs = await core.readNamespacedPodLog({ name, namespace, container: 'probe' });
    return { exitCode, logs };
  } finally {
    await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

export async function waitForPod(core: CoreV1Api, namespace: string, name: string, done: (p: V1Pod) => boolean, timeoutMs = 60_000): Promise<V1Pod> {
  const deadline = Date.now() + timeoutMs;
  let last: V1Pod | undefined;
  while (Date.now() < deadline) {
    last = await core.readNamespacedPod({ name, namespace });
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`pod ${namespace}/${name} not done after ${timeoutMs / 1000}s: ${JSON.stringify(last?.status?.containerStatuses ?? last?.status?.conditions)}`);
}

/** A namespace for one test file, under Pod Security "restricted" like a store's. */
export async function testNamespace(prefix: string): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = realKubeConfig().makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  await core.createNamespace({ body: { metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } } });
  await waitForServiceAccount(core, name);
  return { name, remove: async () => void (await core.deleteNamespace({ name }).catch(() => undefined)) };
}

async function waitForServiceAccount(core: CoreV1Api, namespace: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`namespace ${namespace} got no default ServiceAccount`);
}

/** A stand-in image into the running real node's containerd, when it is not there yet (the node imports most when it starts). */
export function importStandInImage(name: ImageName): void {
  const image = standInImage(name);
  const socket = paths(realCluster().realNode.dir).containerdSocket;
  const listed = execFileSync('ctr', ['-a', socket, '-n', 'k8s.io', 'images', 'ls', '-q'], { encoding: 'utf8' });
  if (listed.split('\n').includes(image.ref)) return;
  execFileSync('ctr', ['-a', socket, '-n', 'k8s.io', 'images', 'import', '--base-name', image.ref.slice(0, image.ref.lastIndexOf(':')), image.archive],
    { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The domain the platform under test gives stores on the real node (reached through Traefik by Host header). */
export const BASE_DOMAIN = 'stores.real.test';

/** The platform's configuration for stores on the real node: the stand-in images, its storage, node pool and ingress. */
export const REAL_NODE_STORE_CONFIG = {
  ...imageOverrideEnv(),
  STORAGE_CLASS,
  STORE_NODE_POOL: `${REAL_NODE.poolLabel}=${REAL_NODE.pool}`,
  INGRESS_CLASS: INGRESS.className,
  INGRESS_NAMESPACE: INGRESS.namespace,
  INGRESS_SERVICE: INGRESS.service,
  BASE_DOMAIN,
} as const;

/** Runs a command in a running container and returns its stdout (fails on a non-zero exit). */
export async function execIn(namespace: string, pod: string, container: string, command: string[]): Promise<string> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((resolve, reject) => {
    void new Exec(realKubeConfig()).exec(namespace, pod, container, command, out, err, null, false, (status) => {
      if (status.status === 'Success') resolve();
      else reject(new Error(`${command.join(' ')} failed: ${status.message ?? ''} ${stderr}`));
    }).catch(reject);
  });
  return stdout;
}

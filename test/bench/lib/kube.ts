import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { readVersions } from '../../../infra/cluster/paths.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../../constructs/index.js';
import { sleep } from './stats.js';

export function kubeConfigFrom(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/**
 * Deletes every store namespace (both the platform's and kubectl's carry the platform's labels) and
 * waits until the API server reports them gone, so each run starts from the same empty cluster.
 */
export async function deleteStoreNamespaces(kubeconfig: string, timeoutMs: number, log: (m: string) => void, wait = true): Promise<number> {
  const core = kubeConfigFrom(kubeconfig).makeApiClient(CoreV1Api);
  const labelSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
  const t0 = Date.now();
  const initial = await core.listNamespace({ labelSelector });
  const names = initial.items.map((n) => n.metadata!.name!);
  for (const name of names) {
    try {
      await core.deleteNamespace({ name, propagationPolicy: 'Foreground' });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  for (;;) {
    if (!wait) break;
    const left = (await core.listNamespace({ labelSelector })).items.length;
    if (left === 0) break;
    if (Date.now() - t0 > timeoutMs) {
      log(`cleanup: ${left} store namespaces still terminating after ${Math.round(timeoutMs / 1000)} s; continuing`);
      break;
    }
    await sleep(500);
  }
  if (names.length > 0) log(`cleanup: deleted ${names.length} store namespaces in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return names.length;
}

/** CPU a running standard-plan store requests (MySQL 500m + WordPress 250m). */
const STORE_CPU = 0.75;
const BENCH_NODE_CPU = 64;

/** Bench nodes enough for `stores` running standard-plan stores at once, with a tenth to spare for their Jobs (four at least). */
export function benchNodesFor(stores: number): number {
  return Math.max(4, Math.ceil((stores * STORE_CPU * 1.1) / BENCH_NODE_CPU));
}

/**
 * The simulated cluster's three 8-CPU nodes hold about 30 running standard-plan stores. The benchmark
 * adds kwok nodes of its own so that every store of the run fits (1,000 stores take 13 nodes): capacity
 * is not what is being measured. kwok manages every node, so they turn Ready by themselves.
 */
export async function addBenchNodes(kubeconfig: string, count: number, log: (m: string) => void): Promise<void> {
  const core = kubeConfigFrom(kubeconfig).makeApiClient(CoreV1Api);
  const capacity = { cpu: String(BENCH_NODE_CPU), memory: '256Gi', pods: '500', 'ephemeral-storage': '1Ti' };
  const names = Array.from({ length: count }, (_, i) => `bench-node-${i}`);
  for (const name of names) {
    const node: V1Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      },
      spec: {},
      status: {
        capacity, allocatable: capacity,
        nodeInfo: {
          architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: readVersions().kubernetes, bootID: '', containerRuntimeVersion: 'kwok',
          kernelVersion: '', kubeProxyVersion: '', machineID: '', osImage: 'kwok', systemUUID: '',
        },
      },
    };
    try {
      await core.createNode({ body: node });
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = (await core.listNode()).items.filter((n) => names.includes(n.metadata?.name ?? '') && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length === names.length) break;
    if (Date.now() > deadline) throw new Error(`bench nodes not Ready after 60 s (${ready.length}/${names.length})`);
    await sleep(250);
  }
  log(`cluster: added ${count} kwok nodes of ${capacity.cpu} CPU / ${capacity.memory} / ${capacity.pods} pods`);
}

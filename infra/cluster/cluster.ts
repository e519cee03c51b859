import { CoreV1Api, KubeConfig, StorageV1Api, type V1Node } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COMPONENTS, NETWORK, commandFor, type ClusterPorts, type ComponentLayout, type ComponentName } from './components.js';
import { fakeContainerLog, kwokConfig } from './kwok-config.js';
import { writeKubeconfig } from './kubeconfig.js';
import { ensurePki, type Pki } from './pki.js';
import {
  clearLeftovers, createBridge, downRealNode, installGuard, missingPrerequisites, readSysctls, REAL_NODE, runningRealNode, upRealNode,
  type RealNodeState,
} from './real-node/index.js';
import { IMAGES_TOOLING_DIR, standInImages } from '../images/images.js';
import { binDir, clusterDir, CLUSTER_TOOLING_DIR, readVersions } from './paths.js';
import { freePort, isAlive, spawnDetached, terminate, waitFor } from './process.js';

export interface ClusterState {
  readonly dir: string;
  readonly ports: ClusterPorts;
  readonly pids: Record<ComponentName, number>;
  readonly kubeconfig: string;
  readonly versions: ReturnType<typeof readVersions>;
  readonly startedAt: string;
  /** kube-apiserver's address: 127.0.0.1, or the real node's bridge address when it has one. */
  readonly apiserverHost: string;
  readonly realNode?: RealNodeState;
}

export interface UpOptions {
  /** Join a real node (kubelet, containerd, CNI, DNS, NetworkPolicy, storage, ingress) next to kwok's. */
  readonly realNode?: boolean;
}

export type Report = (message: string) => void;

/** Fake nodes: sized like common 8-vCPU / 32 GiB cloud workers. */
const NODE_COUNT = 3;
const NODE_CAPACITY = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

const statePath = (dir: string): string => join(dir, 'state.json');

export function readState(dir = clusterDir()): ClusterState | undefined {
  const file = statePath(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState) : undefined;
}

function writeState(state: ClusterState): void {
  const tmp = `${statePath(state.dir)}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, statePath(state.dir)); // atomic: tests restarting components read it concurrently
}

function layout(dir: string, ports: ClusterPorts, pki: Pki, apiserverHost: string): ComponentLayout {
  const v = readVersions();
  const k8s = binDir('kubernetes', v.kubernetes);
  return {
    dir, pki, ports, apiserverHost,
    kubeconfig: join(dir, 'kubeconfig'),
    kwokConfig: join(dir, 'kwok.yaml'),
    bins: {
      etcd: join(binDir('etcd', v.etcd), 'etcd'),
      'kube-apiserver': join(k8s, 'kube-apiserver'),
      'kube-controller-manager': join(k8s, 'kube-controller-manager'),
      'kube-scheduler': join(k8s, 'kube-scheduler'),
      kwok: join(binDir('kwok', v.kwok), 'kwok'),
    },
  };
}

/** Builds whatever binary is missing (build.sh reuses cached ones and reports timings). */
export function ensureBinaries(report: Report, options: UpOptions = {}): void {
  const v = readVersions();
  const targets: Record<string, string> = { etcd: v.etcd, kwok: v.kwok, kubernetes: v.kubernetes };
  if (options.realNode) {
    Object.assign(targets, {
      coredns: v.coredns, 'kube-router': v.kubeRouter, 'local-path-provisioner': v.localPathProvisioner, traefik: v.traefik,
    });
  }
  const missing = Object.entries(targets).filter(([c, version]) => !existsSync(join(binDir(c, version), '.complete'))).map(([c]) => c);
  if (missing.length === 0) return;
  if (spawnSync('go', ['version']).error) {
    throw new Error('go is not installed: install Go 1.26+ to build the simulated cluster, or point KUBECONFIG at an existing cluster (kind, k3d, minikube, k3s)');
  }
  report(`building ${missing.join(', ')} (first run only; later runs reuse the cache)`);
  const built = spawnSync('bash', [join(CLUSTER_TOOLING_DIR, 'build.sh'), ...missing], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the simulated cluster failed (see the output above)');
}

/**
 * Builds the store stand-in images the real node imports, when missing (infra/images/build.sh caches
 * them by tag). The platform's own image is left to what needs it: its tag follows every source edit.
 */
function ensureStandInImages(report: Report): void {
  const missing = standInImages().filter((i) => i.name !== 'store-platform' && !existsSync(i.archive)).map((i) => i.name);
  if (missing.length === 0) return;
  report(`building stand-in images ${missing.join(', ')} (first run only)`);
  const built = spawnSync('bash', [join(IMAGES_TOOLING_DIR, 'build.sh'), ...missing], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the stand-in images failed (see the output above)');
}

/** Is the cluster in `dir` running and answering? */
export async function isHealthy(state: ClusterState): Promise<boolean> {
  if (!COMPONENTS.every((c) => isAlive(state.pids[c]))) return false;
  if (state.realNode && !Object.values(state.realNode.pids).every((pid) => isAlive(pid))) return false;
  return apiserverReady(state.dir, state.ports.apiserver, state.apiserverHost ?? '127.0.0.1');
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1,
 * registers the fake nodes and the default StorageClass, and writes the admin kubeconfig.
 * Reuses a cluster that is already running in the same directory.
 */
export async function up(
  report: Report, requested: Partial<ClusterPorts> = {}, dir = clusterDir(), options: UpOptions = {},
): Promise<ClusterState> {
  const existing = readState(dir);
  if (existing && (await isHealthy(existing))) {
    if (options.realNode && !existing.realNode?.ingressServiceIp) {
      throw new Error('a cluster without a real node is running: npm run cluster:down, then cluster:up -- --real-node');
    }
    report(`already running: API server https://${existing.apiserverHost}:${existing.ports.apiserver}`);
    return existing;
  }
  if (existing) await down(report, dir); // leftovers of a crashed run
  if (options.realNode) {
    const missing = missingPrerequisites();
    if (missing) throw new Error(missing);
    // one real node per machine: it owns the bridge, the node's chains and its address range
    const other = runningRealNode();
    if (other) throw new Error(`a real node is already running on this machine (cluster directory ${other}): stop it with its cluster:down first`);
  }
  ensureBinaries(report, options);
  if (options.realNode) ensureStandInImages(report);
  const started = Date.now();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const ports: ClusterPorts = {
    etcdClient: requested.etcdClient ?? (await freePort()),
    etcdPeer: requested.etcdPeer ?? (await freePort()),
    apiserver: requested.apiserver ?? (await freePort()),
    controllerManager: requested.controllerManager ?? (await freePort()),
    scheduler: requested.scheduler ?? (await freePort()),
    kubelet: requested.kubelet ?? (await freePort()),
  };
  const apiserverHost = options.realNode ? REAL_NODE.ip : '127.0.0.1';
  const pki = ensurePki(join(dir, 'pki'), NETWORK.apiServiceIp, [REAL_NODE.ip]);
  const l = layout(dir, ports, pki, apiserverHost);
  writeKubeconfig(l.kubeconfig, {
    server: `https://${apiserverHost}:${ports.apiserver}`, caCert: pki.caCert, cert: pki.adminCert, key: pki.adminKey,
    user: 'store-platform-admin',
  });
  const logFile = join(dir, 'container.log');
  writeFileSync(logFile, fakeContainerLog(new Date()));
  writeFileSync(l.kwokConfig, kwokConfig(join(binDir('kwok', readVersions().kwok), 'stage'), logFile));

  const pids = {} as Record<ComponentName, number>;
  let state: ClusterState = {
    dir, ports, pids, kubeconfig: l.kubeconfig, versions: readVersions(), startedAt: new Date().toISOString(), apiserverHost,
  };
  if (options.realNode) {
    // recorded first, so that a run that dies from here on still gets its sysctls back
    state = { ...state, realNode: { dir: join(dir, 'real-node'), ports: {} as RealNodeState['ports'], pids: {}, sysctls: readSysctls(), images: [] } };
    writeState(state);
    clearLeftovers(report);
    installGuard(); // before any pod can get an address
    createBridge(); // the API server listens on it
  }
  for (const name of COMPONENTS) {
    pids[name] = launch(name, l);
    writeState(state);
    await waitHealthy(name, l, pids[name]);
    report(`✓ ${name} (pid ${pids[name]})`);
  }
  await bootstrap(l.kubeconfig, join(binDir('kwok', readVersions().kwok), 'stage'));
  report(`✓ ${NODE_COUNT} nodes Ready, default StorageClass, RBAC on (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  if (state.realNode) {
    const sysctls = state.realNode.sysctls;
    const realNode = await upRealNode({
      clusterDir: dir, pki, server: `https://${apiserverHost}:${ports.apiserver}`, adminKubeconfig: l.kubeconfig, sysctls,
      extraImages: standInImages().filter((i) => existsSync(i.archive)), save: (rn) => writeState({ ...state, realNode: rn }),
    }, report);
    state = { ...state, realNode };
    writeState(state);
  }
  return state;
}

/** Stops every component and removes all state (certificates, etcd data, logs, kubeconfig). */
export async function down(report: Report, dir = clusterDir()): Promise<void> {
  const state = readState(dir);
  if (state?.realNode) await downRealNode(state.realNode, report);
  if (state) {
    for (const name of [...COMPONENTS].reverse()) {
      await terminate(state.pids[name]);
      report(`stopped ${name}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Stops one component (fault tests: the API server or etcd going away). */
export async function stopComponent(name: ComponentName, dir = clusterDir()): Promise<void> {
  const state = readState(dir);
  if (!state) throw new Error(`no simulated cluster in ${dir}`);
  await terminate(state.pids[name]);
}

/** Starts a stopped component again with the same command line and waits until it is healthy. */
export async function startComponent(name: ComponentName, dir = clusterDir()): Promise<void> {
  const state = readState(dir);
  if (!state) throw new Error(`no simulated cluster in ${dir}`);
  if (isAlive(state.pids[name])) return;
  const l = layout(dir, state.ports, ensurePki(join(dir, 'pki'), NETWORK.apiServiceIp, [REAL_NODE.ip]), state.apiserverHost ?? '127.0.0.1');
  const pid = launch(name, l);
  writeState({ ...state, pids: { ...state.pids, [name]: pid } });
  await waitHealthy(name, l, pid);
}

function launch(name: ComponentName, l: ComponentLayout): number {
  const { bin, args } = commandFor(name, l);
  return spawnDetached(bin, args, join(l.dir, 'logs', `${name}.log`));
}

async function waitHealthy(name: ComponentName, l: ComponentLayout, pid: number): Promise<void> {
  const alive = (): void => {
    if (!isAlive(pid)) throw new Error(`${name} exited; see ${join(l.dir, 'logs', `${name}.log`)}`);
  };
  const checks: Record<ComponentName, () => Promise<boolean>> = {
    etcd: async () => (alive(), (await get(`http://127.0.0.1:${l.ports.etcdClient}/health`)).includes('"health":"true"')),
    'kube-apiserver': async () => (alive(), apiserverReady(l.dir, l.ports.apiserver, l.apiserverHost)),
    'kube-controller-manager': async () => (alive(), (await get(`https://127.0.0.1:${l.ports.controllerManager}/healthz`)) === 'ok'),
    'kube-scheduler': async () => (alive(), (await get(`https://127.0.0.1:${l.ports.scheduler}/healthz`)) === 'ok'),
    kwok: async () => (alive(), true),
  };
  await waitFor(name, async () => {
    try {
      return await checks[name]();
    } catch (err) {
      if (!isAlive(pid)) throw Object.assign(new Error(`${name} exited; see ${join(l.dir, 'logs', `${name}.log`)}`), { fatal: true });
      throw err;
    }
  }, 60_000);
}

async function apiserverReady(dir: string, port: number, host = readState(dir)?.apiserverHost ?? '127.0.0.1'): Promise<boolean> {
  const ca = readFileSync(join(dir, 'pki', 'ca.crt'));
  return (await get(`https://${host}:${port}/readyz`, ca)) === 'ok';
}

/** GET returning the body of a 200, else ''; TLS verified against `ca` when given. */
function get(url: string, ca?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { timeout: 2000, ...(url.startsWith('https') ? { ca, rejectUnauthorized: Boolean(ca) } : {}) };
    const req = (url.startsWith('https') ? request : httpRequest)(url, options, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : ''));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

async function bootstrap(kubeconfig: string, stageDir: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const storage = kc.makeApiClient(StorageV1Api);
  for (let i = 0; i < NODE_COUNT; i++) await core.createNode({ body: fakeNode(`kwok-node-${i}`) });
  await storage.createStorageClass({ body: parse(readFileSync(join(stageDir, 'volume/fast/storage-class.yaml'), 'utf8')) });
  await waitFor('nodes Ready', async () => {
    const nodes = await core.listNode();
    return nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === NODE_COUNT;
  }, 60_000, 200);
  // pods can only be admitted once the controller-manager has created the namespace's default ServiceAccount
  await waitFor('default ServiceAccount', async () => {
    await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
    return true;
  }, 60_000, 200);
}

function fakeNode(name: string): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'sim.8x32', type: 'kwok',
      },
    },
    spec: {},
    status: { capacity: NODE_CAPACITY, allocatable: NODE_CAPACITY, nodeInfo: {
      architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: readVersions().kubernetes,
      bootID: '', containerRuntimeVersion: 'kwok', kernelVersion: '', kubeProxyVersion: '', machineID: '', osImage: 'kwok', systemUUID: '',
    } },
  };
}

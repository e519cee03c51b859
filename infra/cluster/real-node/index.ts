import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeKubeconfig } from '../kubeconfig.js';
import { binDir, readVersions } from '../paths.js';
import { ensureClientCert, type Pki } from '../pki.js';
import { freePort, isAlive, spawnDetached, terminate, waitFor } from '../process.js';
import { standInImage } from '../../images/images.js';
import { BUSYBOX_IMAGE, ensureAddonImages } from './addon-images.js';
import { coreDns, INGRESS, localPath, traefik } from './addons.js';
import { guardDrops, removeBridge, removeGuard, removeNodeChains, REAL_NODE, writeSysctls } from './host.js';
import { paths, REAL_NODE_COMPONENTS, realNodeCommand, writeNodeConfig, type RealNodeComponent, type RealNodeLayout, type RealNodePorts } from './node.js';

export { missingPrerequisites, createBridge, installGuard, readSysctls, REAL_NODE, guardDrops } from './host.js';
export { INGRESS, STORAGE_CLASS } from './addons.js';

export interface RealNodeState {
  readonly dir: string;
  readonly ports: RealNodePorts;
  readonly pids: Partial<Record<RealNodeComponent, number>>;
  /** Values of the sysctls before the node changed them; put back on teardown. */
  readonly sysctls: Record<string, string>;
  readonly ingressServiceIp?: string;
  /** Images imported into the node's containerd, `localhost/<name>:<tag>`. */
  readonly images: readonly string[];
}

export interface RealNodeInput {
  readonly clusterDir: string;
  readonly pki: Pki;
  readonly server: string;
  readonly adminKubeconfig: string;
  readonly sysctls: Record<string, string>;
  /** Image archives to import besides the add-ons' own (the store stand-ins from infra/images). */
  readonly extraImages: readonly { ref: string; archive: string }[];
  /** Persists the state after each daemon starts, so a crash mid-way can still be torn down. */
  readonly save: (state: RealNodeState) => void;
}

type Report = (message: string) => void;

function bins(): RealNodeLayout['bins'] & { coredns: string; traefik: string } {
  const v = readVersions();
  const k8s = binDir('kubernetes', v.kubernetes);
  return {
    kubelet: join(k8s, 'kubelet'), kubeProxy: join(k8s, 'kube-proxy'),
    kubeRouter: join(binDir('kube-router', v.kubeRouter), 'kube-router'),
    localPath: join(binDir('local-path-provisioner', v.localPathProvisioner), 'local-path-provisioner'),
    coredns: join(binDir('coredns', v.coredns), 'coredns'),
    traefik: join(binDir('traefik', v.traefik), 'traefik'),
  };
}

function layoutOf(input: Pick<RealNodeInput, 'clusterDir' | 'pki' | 'adminKubeconfig'>, ports: RealNodePorts, ingressServiceIp?: string): RealNodeLayout {
  const dir = join(input.clusterDir, 'real-node');
  return {
    dir, ports, bins: bins(), sandboxImage: standInImage('pause').ref, helperImage: BUSYBOX_IMAGE.ref, caCert: input.pki.caCert,
    nodeKubeconfig: join(dir, 'kubelet.kubeconfig'), proxyKubeconfig: join(dir, 'kube-proxy.kubeconfig'),
    adminKubeconfig: input.adminKubeconfig, ...(ingressServiceIp ? { ingressServiceIp } : {}),
  };
}

/**
 * Joins a real node to the running control plane: containerd + runc, kubelet, kube-proxy, kube-router
 * (NetworkPolicy), the local-path provisioner, CoreDNS and Traefik, and a loopback port for the ingress.
 * The bridge and the guard exist already (the API server listens on the bridge).
 */
export async function upRealNode(input: RealNodeInput, report: Report): Promise<RealNodeState> {
  const started = Date.now();
  const ports: RealNodePorts = {
    kubeletHealthz: await freePort(), proxyHealthz: await freePort(), proxyMetrics: await freePort(),
    routerHealth: await freePort(), ingress: Number(process.env.CLUSTER_INGRESS_PORT) || (await freePort()),
  };
  const b = bins();
  for (const [name, file] of Object.entries(b)) {
    if (!existsSync(file)) throw new Error(`${name} is not built: run npm run cluster:build -- kubernetes real-node`);
  }
  let l = layoutOf(input, ports);
  const state = { dir: l.dir, ports, pids: {} as Partial<Record<RealNodeComponent, number>>, sysctls: input.sysctls, images: [] as string[] } satisfies RealNodeState;
  const save = (extra: Partial<RealNodeState> = {}): RealNodeState => {
    const s = { ...state, ...extra };
    input.save(s);
    return s;
  };
  mkdirSync(l.dir, { recursive: true });
  writeNodeIdentities(input, l);
  writeNodeConfig(l);
  const v = readVersions();
  const pause = standInImage('pause');
  if (!existsSync(pause.archive)) throw new Error(`the pod sandbox image is not built: run bash infra/images/build.sh pause`);
  const images = [...ensureAddonImages({ coredns: b.coredns, traefik: b.traefik, versions: v }), ...input.extraImages];

  await start('containerd', l, state, save);
  await waitFor('containerd', async () => existsSync(paths(l.dir).containerdSocket), 30_000);
  for (const image of images) importImage(l, image);
  state.images.push(...images.map((i) => i.ref));
  report(`✓ containerd with ${images.length} images`);

  const kc = new KubeConfig();
  kc.loadFromFile(input.adminKubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await start('kubelet', l, state, save);
  await waitFor('node real-0 Ready', async () => {
    const node = await core.readNode({ name: REAL_NODE.name });
    return Boolean(node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  }, 90_000, 500);
  report(`✓ kubelet: node ${REAL_NODE.name} Ready`);
  await start('kube-proxy', l, state, save);
  await start('kube-router', l, state, save);
  await applyAll(kc, [...coreDns(imageRef(images, 'coredns')), ...traefik(imageRef(images, 'traefik')), ...localPath(paths(l.dir).volumes, l.helperImage)]);
  await start('local-path-provisioner', l, state, save);
  const apps = kc.makeApiClient(AppsV1Api);
  for (const [name, namespace] of [['coredns', 'kube-system'], [INGRESS.service, INGRESS.namespace]] as const) {
    await waitFor(`${name} available`, async () => {
      const d = await apps.readNamespacedDeployment({ name, namespace });
      return (d.status?.availableReplicas ?? 0) >= 1;
    }, 120_000, 500);
  }
  const svc = await core.readNamespacedService({ name: INGRESS.service, namespace: INGRESS.namespace });
  const ingressServiceIp = svc.spec?.clusterIP;
  if (!ingressServiceIp) throw new Error('the ingress controller Service has no cluster IP');
  l = layoutOf(input, ports, ingressServiceIp);
  await start('ingress-forward', l, state, save);
  report(`✓ kube-proxy, kube-router, CoreDNS, Traefik (http://127.0.0.1:${ports.ingress}), local-path storage (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return save({ ingressServiceIp });
}

function imageRef(images: readonly { ref: string }[], name: string): string {
  const found = images.find((i) => i.ref.startsWith(`localhost/${name}:`));
  if (!found) throw new Error(`no image for ${name}`);
  return found.ref;
}

function writeNodeIdentities(input: RealNodeInput, l: RealNodeLayout): void {
  const node = ensureClientCert(input.pki, 'kubelet', `/O=system:nodes/CN=system:node:${REAL_NODE.name}`);
  writeKubeconfig(l.nodeKubeconfig, { server: input.server, caCert: input.pki.caCert, ...node, user: `system:node:${REAL_NODE.name}` });
  const proxy = ensureClientCert(input.pki, 'kube-proxy', '/CN=system:kube-proxy');
  writeKubeconfig(l.proxyKubeconfig, { server: input.server, caCert: input.pki.caCert, ...proxy, user: 'system:kube-proxy' });
}

async function start(name: RealNodeComponent, l: RealNodeLayout, state: { pids: Partial<Record<RealNodeComponent, number>> }, save: () => void): Promise<void> {
  const { bin, args } = realNodeCommand(name, l);
  const log = join(paths(l.dir).logs, `${name}.log`);
  const pid = spawnDetached(bin, args, log);
  state.pids[name] = pid;
  save();
  const health: Partial<Record<RealNodeComponent, string>> = {
    kubelet: `http://127.0.0.1:${l.ports.kubeletHealthz}/healthz`,
    'kube-proxy': `http://127.0.0.1:${l.ports.proxyHealthz}/healthz`,
    'kube-router': `http://127.0.0.1:${l.ports.routerHealth}/healthz`,
  };
  const url = health[name];
  await waitFor(name, async () => {
    if (!isAlive(pid)) throw Object.assign(new Error(`${name} exited; see ${log}`), { fatal: true });
    if (!url) return true;
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  }, 60_000, 250).catch((err: unknown) => {
    throw new Error(`${name} did not become healthy: ${err instanceof Error ? err.message : String(err)}; see ${log}`);
  });
}

function importImage(l: RealNodeLayout, image: { ref: string; archive: string }): void {
  if (!existsSync(image.archive)) throw new Error(`image archive ${image.archive} is missing: build it first`);
  const base = image.ref.slice(0, image.ref.lastIndexOf(':'));
  execFileSync('ctr', ['-a', paths(l.dir).containerdSocket, '-n', 'k8s.io', 'images', 'import', '--base-name', base, image.archive],
    { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function applyAll(kc: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of objects) {
    try {
      await api.create(obj);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}

/** The cluster directory of a real node whose kubelet runs on this machine right now, if any. */
export function runningRealNode(): string | undefined {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args[0]?.endsWith('kubelet') || !args.includes(`--hostname-override=${REAL_NODE.name}`)) continue;
      const root = args.find((a) => a.startsWith('--root-dir='))?.slice('--root-dir='.length);
      return root ? join(root, '..', '..') : 'unknown';
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}

/**
 * What an earlier real node left when its processes were killed without a teardown (a stopped CI
 * run, a reboot of the shell): pod network namespaces, chains and ipsets that would still filter or
 * redirect the new node's pods, whose addresses are handed out again from the start of the range.
 */
export function clearLeftovers(report: Report): void {
  const busy = removeStaleNetns();
  if (busy.length > 0) report(`${busy.length} stale pod network namespaces are held by another mount namespace`);
  removeNodeChains();
}

/**
 * Stops every real-node daemon and every container it started, then removes mounts, network
 * namespaces, chains, the guard and the bridge, and puts the sysctls back.
 */
export async function downRealNode(state: RealNodeState | undefined, report: Report): Promise<void> {
  if (state) {
    for (const name of [...REAL_NODE_COMPONENTS].reverse()) {
      const pid = state.pids[name];
      if (name === 'containerd') killShims(paths(state.dir).containerdSocket);
      if (pid !== undefined) {
        const t = Date.now();
        await terminate(pid);
        report(`stopped ${name} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
      }
    }
    unmountUnder(state.dir);
  }
  const busy = removeStaleNetns();
  if (busy.length > 0) report(`${busy.length} pod network namespaces are still held by another mount namespace; they go when it ends`);
  removeNodeChains();
  const dropped = guardDrops();
  removeGuard();
  removeBridge();
  if (state) writeSysctls(state.sysctls);
  report(`real node removed (bridge, chains, guard: ${dropped} packets dropped on the way out, sysctls restored)`);
}

/** containerd-shim processes outlive containerd; each serves containers of the socket it names. */
function killShims(socket: string): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline[0]?.includes('containerd-shim') && cmdline.includes(socket)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // the process ended meanwhile
    }
  }
  // the containers themselves were children of the shims: kill what is left in the pods' cgroups
  spawnSync('sh', ['-c', 'for f in /sys/fs/cgroup/pids/kubepods/*/*/cgroup.procs /sys/fs/cgroup/pids/kubepods/*/*/*/cgroup.procs; do [ -f "$f" ] && xargs -r kill -9 < "$f"; done'], { stdio: 'ignore' });
}

function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => Boolean(m && (m === dir || m.startsWith(`${dir}/`))))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

/** Pod network namespaces left behind by killed sandboxes (CNI names them cni-<uuid>). */
function removeStaleNetns(): string[] {
  const dir = '/var/run/netns';
  const busy: string[] = [];
  if (!existsSync(dir)) return busy;
  for (const ns of readdirSync(dir).filter((n) => n.startsWith('cni-'))) {
    // a mount namespace copied while the pod ran (a chroot build, say) can hold the file for a while
    spawnSync('umount', ['-l', join(dir, ns)], { stdio: 'ignore' });
    try {
      rmSync(join(dir, ns), { force: true });
    } catch {
      busy.push(ns);
    }
  }
  return busy;
}

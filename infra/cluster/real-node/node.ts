import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REAL_NODE } from './host.js';

/** The real node's daemons, in start order (stopped in reverse). */
export const REAL_NODE_COMPONENTS = ['containerd', 'kubelet', 'kube-proxy', 'kube-router', 'local-path-provisioner', 'ingress-forward'] as const;
export type RealNodeComponent = (typeof REAL_NODE_COMPONENTS)[number];

export interface RealNodePorts {
  readonly kubeletHealthz: number;
  readonly proxyHealthz: number;
  readonly proxyMetrics: number;
  readonly routerHealth: number;
  /** Loopback port on the host that forwards to the ingress controller's Service. */
  readonly ingress: number;
}

export interface RealNodeLayout {
  /** The real node's own directory inside the cluster directory. */
  readonly dir: string;
  readonly ports: RealNodePorts;
  readonly bins: { kubelet: string; kubeProxy: string; kubeRouter: string; localPath: string };
  readonly sandboxImage: string;
  /** Image with sh and mkdir for the storage provisioner's helper pods. */
  readonly helperImage: string;
  readonly caCert: string;
  /** kubeconfigs: the node's own identity (Node authorizer), kube-proxy's, and the admin one. */
  readonly nodeKubeconfig: string;
  readonly proxyKubeconfig: string;
  readonly adminKubeconfig: string;
  /** Set once the ingress controller's Service has an address. */
  readonly ingressServiceIp?: string;
}

export const KUBELET_PORT = 10250;
export const CLUSTER_DNS_IP = '10.96.0.10';

export const paths = (dir: string) => ({
  containerdConfig: join(dir, 'containerd', 'config.toml'),
  containerdSocket: join(dir, 'containerd', 'containerd.sock'),
  cniConf: join(dir, 'cni', 'net.d'),
  cniIpam: join(dir, 'cni', 'ipam'),
  kubeletRoot: join(dir, 'kubelet'),
  kubeletConfig: join(dir, 'kubelet-config.yaml'),
  proxyConfig: join(dir, 'kube-proxy-config.yaml'),
  resolvConf: join(dir, 'resolv.conf'),
  volumes: join(dir, 'volumes'),
  logs: join(dir, '..', 'logs'),
});

/** Writes containerd's, the CNI's, kubelet's and kube-proxy's configuration files. */
export function writeNodeConfig(l: RealNodeLayout): void {
  const p = paths(l.dir);
  for (const d of [join(l.dir, 'containerd'), p.cniConf, p.cniIpam, p.kubeletRoot, p.volumes]) mkdirSync(d, { recursive: true });
  const c = join(l.dir, 'containerd');
  writeFileSync(p.containerdConfig, [
    'version = 2',
    `root = "${join(c, 'root')}"`,
    `state = "${join(c, 'state')}"`,
    // snapshotters this kernel or machine lacks would only log errors at every start
    'disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.internal.v1.tracing"]',
    '[grpc]', `  address = "${p.containerdSocket}"`,
    '[ttrpc]', `  address = "${p.containerdSocket}.ttrpc"`,
    '[debug]', '  address = ""',
    '[plugins."io.containerd.internal.v1.opt"]', `  path = "${join(c, 'opt')}"`,
    '[plugins."io.containerd.grpc.v1.cri"]',
    `  sandbox_image = "${l.sandboxImage}"`,
    // root here lacks CAP_SYS_RESOURCE: a negative oom_score_adj would fail every sandbox
    '  restrict_oom_score_adj = true',
    '  enable_unprivileged_ports = true',
    '[plugins."io.containerd.grpc.v1.cri".containerd]',
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    '  runtime_type = "io.containerd.runc.v2"',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
    // no systemd here: cgroupfs, the same driver kubelet uses
    '  SystemdCgroup = false',
    '[plugins."io.containerd.grpc.v1.cri".cni]',
    '  bin_dir = "/usr/lib/cni"',
    `  conf_dir = "${p.cniConf}"`,
    '',
  ].join('\n'));
  writeFileSync(join(p.cniConf, '10-store-platform.conflist'), JSON.stringify({
    cniVersion: '1.0.0',
    name: 'store-platform',
    plugins: [
      {
        type: 'bridge', bridge: REAL_NODE.bridge, isGateway: true, hairpinMode: true,
        // no masquerading: pod traffic has nowhere to go but this bridge
        ipMasq: false,
        ipam: {
          type: 'host-local', dataDir: p.cniIpam,
          ranges: [[{ subnet: REAL_NODE.cidr, rangeStart: '10.88.0.10', rangeEnd: '10.88.0.250', gateway: REAL_NODE.ip }]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  }, null, 2));
  // pods with dnsPolicy Default must not inherit the host's resolvers: there is no upstream
  writeFileSync(p.resolvConf, `nameserver ${CLUSTER_DNS_IP}\n`);
  writeFileSync(p.kubeletConfig, stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: REAL_NODE.ip,
    port: KUBELET_PORT,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: l.ports.kubeletHealthz,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: l.caCert } },
    authorization: { mode: 'Webhook' },
    // cgroup v1 (hybrid) without systemd as PID 1
    cgroupDriver: 'cgroupfs',
    failCgroupV1: false,
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    clusterDomain: 'cluster.local',
    clusterDNS: [CLUSTER_DNS_IP],
    resolvConf: p.resolvConf,
    failSwapOn: false,
    registerWithTaints: [{ key: REAL_NODE.poolLabel, value: REAL_NODE.pool, effect: 'NoSchedule' }],
    // a shared development disk: never evict test pods for the host's own usage
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    maxPods: 110,
    podPidsLimit: 4096,
    shutdownGracePeriod: '0s',
    nodeStatusReportFrequency: '10s',
    syncFrequency: '10s',
  }));
  writeFileSync(p.proxyConfig, stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: l.proxyKubeconfig },
    hostnameOverride: REAL_NODE.name,
    mode: 'iptables',
    clusterCIDR: REAL_NODE.cidr,
    healthzBindAddress: `127.0.0.1:${l.ports.proxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${l.ports.proxyMetrics}`,
    nodePortAddresses: [`${REAL_NODE.ip}/32`],
    // leave the host's conntrack table size alone
    conntrack: { maxPerCore: 0, min: 0 },
  }));
}

/** The command line of each real-node daemon. */
export function realNodeCommand(name: RealNodeComponent, l: RealNodeLayout): { bin: string; args: string[] } {
  const p = paths(l.dir);
  switch (name) {
    case 'containerd':
      return { bin: 'containerd', args: ['--config', p.containerdConfig] };
    case 'kubelet':
      return { bin: l.bins.kubelet, args: [
        `--config=${p.kubeletConfig}`, `--kubeconfig=${l.nodeKubeconfig}`, `--root-dir=${p.kubeletRoot}`,
        `--cert-dir=${join(p.kubeletRoot, 'pki')}`, `--hostname-override=${REAL_NODE.name}`, `--node-ip=${REAL_NODE.ip}`,
        `--node-labels=${REAL_NODE.poolLabel}=${REAL_NODE.pool},node.kubernetes.io/instance-type=real`, '--v=1',
      ] };
    case 'kube-proxy':
      return { bin: l.bins.kubeProxy, args: [`--config=${p.proxyConfig}`, '--v=1'] };
    case 'kube-router':
      // the firewall only: the CNI bridge routes, kube-proxy proxies
      return { bin: l.bins.kubeRouter, args: [
        `--kubeconfig=${l.adminKubeconfig}`, `--hostname-override=${REAL_NODE.name}`,
        '--run-firewall=true', '--run-router=false', '--run-service-proxy=false', '--enable-cni=false',
        '--enable-ipv6=false', '--metrics-port=0', `--health-port=${l.ports.routerHealth}`, '--iptables-sync-period=30s', '--v=1',
      ] };
    case 'local-path-provisioner':
      return { bin: l.bins.localPath, args: [
        'start', `--kubeconfig=${l.adminKubeconfig}`, '--namespace=local-path-storage',
        '--configmap-name=local-path-config', '--service-account-name=local-path-provisioner',
        `--helper-image=${l.helperImage}`,
      ] };
    case 'ingress-forward': {
      if (!l.ingressServiceIp) throw new Error('the ingress controller has no Service address yet');
      return { bin: 'socat', args: [`TCP-LISTEN:${l.ports.ingress},bind=127.0.0.1,fork,reuseaddr`, `TCP:${l.ingressServiceIp}:80`] };
    }
  }
}

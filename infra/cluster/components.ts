import { join } from 'node:path';
import type { Pki } from './pki.js';

export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export interface ClusterPorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  /** kwok's fake kubelet endpoint: serves pod logs to kube-apiserver. */
  readonly kubelet: number;
}

/** Address ranges of the simulated cluster; kept apart so no range hides another. */
export const NETWORK = {
  serviceCidr: '10.96.0.0/16',
  /** First address of the service range: the `kubernetes` Service. */
  apiServiceIp: '10.96.0.1',
  podCidr: '10.244.0.0/16',
} as const;

export interface ComponentLayout {
  readonly dir: string;
  /**
   * Where kube-apiserver listens and what it advertises: loopback, or the real node's bridge address
   * when pods must reach it (the `kubernetes` Service then gets that endpoint).
   */
  readonly apiserverHost: string;
  readonly pki: Pki;
  readonly ports: ClusterPorts;
  readonly bins: Record<ComponentName, string>;
  /** kubeconfig the components use (admin identity, file paths). */
  readonly kubeconfig: string;
  readonly kwokConfig: string;
}

/** The command line of each component: loopback only, TLS, RBAC on, admission plugins at their defaults. */
export function commandFor(name: ComponentName, l: ComponentLayout): { bin: string; args: string[] } {
  const { ports, pki } = l;
  const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  const args: Record<ComponentName, string[]> = {
    etcd: [
      '--name=sim0', `--data-dir=${join(l.dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=sim0=${peerUrl}`,
      '--auto-compaction-retention=1', '--quota-backend-bytes=8589934592',
      // a throwaway cluster: durability is not worth an fsync per write
      '--unsafe-no-fsync=true', '--log-level=warn',
    ],
    'kube-apiserver': [
      `--etcd-servers=${etcdUrl}`, '--etcd-prefix=/registry',
      `--bind-address=${l.apiserverHost}`, `--secure-port=${ports.apiserver}`, `--advertise-address=${l.apiserverHost}`,
      // the endpoint reconciler refuses loopback endpoints: off unless pods need to reach the API server
      `--endpoint-reconciler-type=${l.apiserverHost === '127.0.0.1' ? 'none' : 'lease'}`,
      `--service-cluster-ip-range=${NETWORK.serviceCidr}`,
      '--authorization-mode=Node,RBAC', '--allow-privileged=true',
      `--client-ca-file=${pki.caCert}`, `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
      // pod logs are fetched from kwok's kubelet endpoint as the admin identity
      `--kubelet-client-certificate=${pki.adminCert}`, `--kubelet-client-key=${pki.adminKey}`,
      '--kubelet-preferred-address-types=InternalIP',
    ],
    'kube-controller-manager': [
      `--kubeconfig=${l.kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${ports.controllerManager}`,
      '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
      `--root-ca-file=${pki.caCert}`, `--service-account-private-key-file=${pki.saKey}`,
      // no lease to wait out when a component restarts against the same etcd
      '--leader-elect=false',
      '--node-monitor-period=5s', '--node-monitor-grace-period=3m',
      '--concurrent-namespace-syncs=10', '--concurrent-gc-syncs=40',
    ],
    'kube-scheduler': [
      `--kubeconfig=${l.kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${ports.scheduler}`,
      '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics', '--leader-elect=false',
    ],
    kwok: [
      `--kubeconfig=${l.kubeconfig}`, `--config=${l.kwokConfig}`,
      // only the fake nodes (they carry this annotation): a real node beside them runs its own kubelet
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-lease-duration-seconds=40', `--cidr=${NETWORK.podCidr}`,
      '--node-ip=127.0.0.1', `--node-port=${ports.kubelet}`, `--server-address=127.0.0.1:${ports.kubelet}`,
      `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`,
    ],
  };
  return { bin: l.bins[name], args: args[name] };
}

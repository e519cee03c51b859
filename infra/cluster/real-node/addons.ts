import { stringify } from 'yaml';
import { REAL_NODE } from './host.js';
import { CLUSTER_DNS_IP } from './node.js';

/**
 * The real node's in-cluster add-ons, as plain objects: cluster DNS (CoreDNS, no forwarder), the
 * ingress controller (Traefik, serving networking.k8s.io/v1 Ingress), and the local-path storage class.
 */
type Obj = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

export const INGRESS = { namespace: 'traefik', className: 'traefik', service: 'traefik' } as const;
export const STORAGE_CLASS = 'local-path';

/** Pods of the add-ons run on the real node only. */
const onRealNode = {
  nodeSelector: { [REAL_NODE.poolLabel]: REAL_NODE.pool },
  tolerations: [{ key: REAL_NODE.poolLabel, operator: 'Equal', value: REAL_NODE.pool, effect: 'NoSchedule' }],
};

const restricted = {
  allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
  runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' },
};

function rbac(name: string, namespace: string, rules: unknown[]): Obj[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `store-platform:${name}` }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `store-platform:${name}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `store-platform:${name}` },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  ];
}

function deployment(name: string, namespace: string, labels: Record<string, string>, pod: Record<string, unknown>): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, labels },
    spec: {
      replicas: 1, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { serviceAccountName: name, ...onRealNode, ...pod } },
    },
  };
}

const COREFILE = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    loop
    reload
}
`;

export function coreDns(image: string): Obj[] {
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    ...rbac('coredns', 'kube-system', [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]),
    // no forward plugin: a name outside the cluster has no upstream to go to
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } },
    deployment('coredns', 'kube-system', labels, {
      // port 53 as a non-root user
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], runAsUser: 65532, runAsGroup: 65532 },
      dnsPolicy: 'Default',
      containers: [{
        name: 'coredns', image, imagePullPolicy: 'Never', args: ['-conf', '/etc/coredns/Corefile'],
        ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
        livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10 },
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '170Mi' } },
        securityContext: restricted,
        volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
      }],
      volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
    }),
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
      spec: { clusterIP: CLUSTER_DNS_IP, selector: labels, ports: [
        { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
      ] },
    },
  ];
}

export function traefik(image: string): Obj[] {
  const { namespace, className, service } = INGRESS;
  const labels = { 'app.kubernetes.io/name': 'traefik' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    ...rbac('traefik', namespace, [
      { apiGroups: [''], resources: ['services', 'endpoints', 'secrets', 'nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
    ]),
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: className },
      spec: { controller: 'traefik.io/ingress-controller' },
    },
    deployment(service, namespace, labels, {
      securityContext: { runAsUser: 65532, runAsGroup: 65532 },
      containers: [{
        name: 'traefik', image, imagePullPolicy: 'Never',
        args: [
          '--entryPoints.web.address=:8000', '--entryPoints.traefik.address=:9000', '--ping=true',
          '--providers.kubernetesingress=true', `--providers.kubernetesingress.ingressclass=${className}`,
          `--providers.kubernetesingress.ingressendpoint.publishedservice=${namespace}/${service}`,
          '--global.checknewversion=false', '--global.sendanonymoususage=false', '--log.level=INFO', '--accesslog=true',
        ],
        ports: [{ name: 'web', containerPort: 8000 }, { name: 'traefik', containerPort: 9000 }],
        readinessProbe: { httpGet: { path: '/ping', port: 9000 }, periodSeconds: 2 },
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
        securityContext: restricted,
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    }),
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: service, namespace, labels },
      spec: { selector: labels, ports: [{ name: 'web', port: 80, targetPort: 8000 }] },
    },
  ];
}

/** The local-path provisioner's configuration; the provisioner itself runs on the host beside kubelet. */
export function localPath(volumesDir: string, helperImage: string): Obj[] {
  const namespace = 'local-path-storage';
  const helperPod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'helper-pod' },
    spec: { ...onRealNode, containers: [{ name: 'helper-pod', image: helperImage, imagePullPolicy: 'Never' }] },
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'local-path-provisioner', namespace } },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'local-path-config', namespace },
      data: {
        'config.json': JSON.stringify({ nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [volumesDir] }] }),
        // world-writable so that a non-root pod can write: hostPath volumes ignore fsGroup
        setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"\n',
        teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"\n',
        'helperPod.yaml': stringify(helperPod),
      },
    },
    {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: STORAGE_CLASS },
      provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete',
    },
  ];
}

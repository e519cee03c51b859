import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, type KubeObject } from '../../constructs/index.js';
import { INGRESS } from '../../infra/cluster/real-node/index.js';
import { toRequestObject } from '../../src/k8s/apply.js';
import { synthStoreFromSpec } from '../../src/manifests/synth.js';
import { specFor } from '../integration/api-harness.js';
import { BUSYBOX, ON_REAL_NODE, realKubeConfig, RESTRICTED_CONTAINER, runOnce, tcpProbe, testNamespace, uniqueName, waitForPod } from './support.js';

// The NetworkPolicies two TLS stores get, as the platform synthesizes them, enforced by kube-router on
// the real node with packets. Busybox listeners carry the labels of each store's workloads (database,
// WordPress, cert-manager's HTTP-01 solver), so every flow the policies name is tried for real.

const platform = { ...DEFAULT_PLATFORM_SETTINGS, ingressNamespace: INGRESS.namespace, ingressService: INGRESS.service, tls: { enabled: true, clusterIssuer: 'test' } };
const WORKLOADS = { database: 3306, web: 8080, solver: 8089 } as const;
type Workload = keyof typeof WORKLOADS;

interface StoreUnderTest {
  readonly slug: string;
  readonly namespace: string;
  readonly labels: Record<Workload, Record<string, string>>;
  readonly ips: Record<Workload, string>;
}

function podLabels(objects: readonly KubeObject[], kind: string, name: string): Record<string, string> {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  const labels = (o?.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels;
  if (!labels) throw new Error(`no pod template ${kind}/${name} in the synthesized store`);
  return labels;
}

async function storeWithListeners(slug: string): Promise<StoreUnderTest> {
  const kc = realKubeConfig();
  const api = KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(CoreV1Api);
  const steps = synthStoreFromSpec(specFor(slug) as never, platform);
  const objects = steps.flatMap((s) => s.objects);
  for (const step of steps.filter((s) => ['namespace', 'network-policy'].includes(s.name))) {
    for (const o of step.objects) await api.create(toRequestObject(o));
  }
  const namespace = `store-${slug}`;
  await until(async () => (await core.listNamespacedServiceAccount({ namespace })).items.length > 0);
  const labels: Record<Workload, Record<string, string>> = {
    database: podLabels(objects, 'StatefulSet', 'mysql'),
    web: podLabels(objects, 'Deployment', 'wordpress'),
    solver: { 'acme.cert-manager.io/http01-solver': 'true' },
  };
  const ips = {} as Record<Workload, string>;
  for (const [workload, port] of Object.entries(WORKLOADS) as [Workload, number][]) {
    const name = `listen-${workload}`;
    await core.createNamespacedPod({ namespace, body: {
      metadata: { name, labels: labels[workload] },
      spec: { ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], automountServiceAccountToken: false, containers: [{
        name: 'listen', image: BUSYBOX, imagePullPolicy: 'Never', command: ['/bin/sh', '-c', `httpd -f -p ${port} -h /tmp`],
        securityContext: RESTRICTED_CONTAINER, readinessProbe: { tcpSocket: { port }, periodSeconds: 1 },
      }] },
    } });
    const ready = await waitForPod(core, namespace, name, (p) => Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));
    ips[workload] = ready.status!.podIP!;
  }
  return { slug, namespace, labels, ips };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
}

/** From a pod with `labels` in `namespace`: OPEN or REFUSED for each target. */
async function probe(namespace: string, labels: Record<string, string>, targets: readonly [string, number][]): Promise<string[]> {
  // kube-router builds a new pod's egress chain a moment after the pod starts: probe once it has
  const script = ['sleep 3', ...targets.map(([ip, port]) => tcpProbe(ip, port))].join('; ');
  const ran = await runOnce(namespace, script, { labels });
  return ran.logs.trim().split('\n');
}

describe('store NetworkPolicies with packets on the real node (two TLS stores)', () => {
  let a: StoreUnderTest;
  let b: StoreUnderTest;
  let outsider: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    a = await storeWithListeners(uniqueName('pol-a'));
    b = await storeWithListeners(uniqueName('pol-b'));
    outsider = await testNamespace('outsider');
  });
  afterAll(async () => {
    const core = realKubeConfig().makeApiClient(CoreV1Api);
    for (const s of [a, b]) if (s) await core.deleteNamespace({ name: s.namespace }).catch(() => undefined);
    await outsider?.remove();
  });

  const allPorts = (s: StoreUnderTest): [string, number][] => (Object.keys(WORKLOADS) as Workload[]).map((w) => [s.ips[w], WORKLOADS[w]]);

  it('refuses every port of store B from every workload of store A', async () => {
    for (const w of Object.keys(WORKLOADS) as Workload[]) {
      expect(await probe(a.namespace, a.labels[w], allPorts(b)), `from A's ${w}`).toEqual(['REFUSED', 'REFUSED', 'REFUSED']);
    }
  });

  it('refuses the API server from every workload of a store, and opens DNS to all', async () => {
    for (const w of Object.keys(WORKLOADS) as Workload[]) {
      expect(await probe(a.namespace, a.labels[w], [['10.96.0.1', 443]]), `API server from ${w}`).toEqual(['REFUSED']);
    }
    for (const w of Object.keys(WORKLOADS) as Workload[]) {
      const dns = await runOnce(a.namespace, 'nslookup kubernetes.default.svc.cluster.local >/dev/null 2>&1 && echo RESOLVED || echo FAILED', { labels: a.labels[w] });
      expect(dns.logs.trim(), `DNS from ${w}`).toBe('RESOLVED');
    }
  });

  it('opens the database to the store\'s own WordPress only', async () => {
    expect(await probe(a.namespace, a.labels.web, [[a.ips.database, 3306]])).toEqual(['OPEN']);
    expect(await probe(a.namespace, { 'store-platform.io/test': 'not-a-db-client' }, [[a.ips.database, 3306]])).toEqual(['REFUSED']);
    expect(await probe(outsider.name, {}, [[a.ips.database, 3306]])).toEqual(['REFUSED']);
  });

  it('opens WordPress and the HTTP-01 solver to the ingress controller namespace, and nothing else to it', async () => {
    expect(await probe(INGRESS.namespace, {}, [[a.ips.web, 8080], [a.ips.solver, 8089], [a.ips.database, 3306]])).toEqual(['OPEN', 'OPEN', 'REFUSED']);
    expect(await probe(outsider.name, {}, [[a.ips.web, 8080], [a.ips.solver, 8089]])).toEqual(['REFUSED', 'REFUSED']);
  });
});

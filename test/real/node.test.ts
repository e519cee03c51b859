import { CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardDrops, INGRESS, REAL_NODE, STORAGE_CLASS } from '../../infra/cluster/real-node/index.js';
import { BUSYBOX, ON_REAL_NODE, realCluster, realKubeConfig, RESTRICTED_CONTAINER, runOnce, tcpProbe, testNamespace, uniqueName, viaIngress, waitForPod } from './support.js';

// The real node itself: containers, logs, DNS, the API from a pod, NetworkPolicy with packets,
// volumes on disk, the ingress controller and the guard, all on real pods (no store involved).
describe('real node real-0', () => {
  const core = realKubeConfig().makeApiClient(CoreV1Api);
  const net = realKubeConfig().makeApiClient(NetworkingV1Api);
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let other: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace('real-node');
    other = await testNamespace('real-other');
  });
  afterAll(async () => {
    await ns?.remove();
    await other?.remove();
  });

  it('runs a container as non-root and serves its real log lines', async () => {
    const token = uniqueName('hello');
    const ran = await runOnce(ns.name, `echo ${token}; id -u`);
    expect(ran.exitCode).toBe(0);
    expect(ran.logs).toContain(token);
    expect(ran.logs.trim().split('\n').at(-1)).toBe('1000');
  });

  it('reports a failing container with its real exit code', async () => {
    expect((await runOnce(ns.name, 'exit 7')).exitCode).toBe(7);
  });

  it('resolves cluster names through CoreDNS and has no upstream for others', async () => {
    const ran = await runOnce(ns.name, 'nslookup kubernetes.default.svc.cluster.local; echo "outside: $(nslookup example.com >/dev/null 2>&1 && echo resolved || echo unresolved)"');
    expect(ran.logs).toContain('10.96.0.1');
    expect(ran.logs).toContain('outside: unresolved');
  });

  it('lets a pod reach the API server through the kubernetes Service', async () => {
    const ran = await runOnce(ns.name, tcpProbe('kubernetes.default.svc.cluster.local', 443));
    expect(ran.logs).toContain('OPEN');
  });

  it('enforces NetworkPolicy with packets: refused after default-deny, open again for the allowed peer', async () => {
    const server = uniqueName('web');
    await core.createNamespacedPod({ namespace: ns.name, body: {
      metadata: { name: server, labels: { app: server } },
      spec: { ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], automountServiceAccountToken: false, containers: [{
        name: 'web', image: BUSYBOX, imagePullPolicy: 'Never', command: ['/bin/sh', '-c', 'echo served > /tmp/index.html && httpd -f -p 8080 -h /tmp'],
        ports: [{ containerPort: 8080 }], securityContext: RESTRICTED_CONTAINER,
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
      }] },
    } });
    const ready = await waitForPod(core, ns.name, server, (p) => Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));
    const ip = ready.status?.podIP;
    expect(ip).toMatch(/^10\.88\.0\./);
    const probe = tcpProbe(ip!, 8080);
    expect((await runOnce(other.name, probe)).logs).toContain('OPEN');

    await net.createNamespacedNetworkPolicy({ namespace: ns.name, body: {
      metadata: { name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] },
    } });
    await expect.poll(async () => (await runOnce(other.name, probe)).logs, { timeout: 45_000, interval: 1000 }).toContain('REFUSED');

    await net.createNamespacedNetworkPolicy({ namespace: ns.name, body: {
      metadata: { name: 'allow-other' },
      spec: { podSelector: { matchLabels: { app: server } }, policyTypes: ['Ingress'], ingress: [{
        _from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': other.name } }, podSelector: { matchLabels: { role: 'client' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }] },
    } });
    await expect.poll(async () => (await runOnce(other.name, probe, { labels: { role: 'client' } })).logs, { timeout: 45_000, interval: 1000 }).toContain('OPEN');
    // the same namespace, without the label the policy names: still refused
    expect((await runOnce(other.name, probe)).logs).toContain('REFUSED');
  });

  it('binds a local-path volume that a non-root pod writes, keeps it across pods and removes it from the disk on delete', async () => {
    const claim = uniqueName('data');
    await core.createNamespacedPersistentVolumeClaim({ namespace: ns.name, body: {
      metadata: { name: claim },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: STORAGE_CLASS, resources: { requests: { storage: '64Mi' } } },
    } });
    const withVolume = async (script: string): Promise<string> => {
      const name = uniqueName('vol');
      await core.createNamespacedPod({ namespace: ns.name, body: {
        metadata: { name },
        spec: { ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], restartPolicy: 'Never', automountServiceAccountToken: false,
          containers: [{ name: 'c', image: BUSYBOX, imagePullPolicy: 'Never', command: ['/bin/sh', '-c', script], securityContext: RESTRICTED_CONTAINER,
            volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] },
      } });
      const done = await waitForPod(core, ns.name, name, (p) => ['Succeeded', 'Failed'].includes(p.status?.phase ?? ''), 90_000);
      const logs = await core.readNamespacedPodLog({ name, namespace: ns.name });
      expect(done.status?.phase, logs).toBe('Succeeded');
      await core.deleteNamespacedPod({ name, namespace: ns.name, gracePeriodSeconds: 0 });
      return logs;
    };
    await withVolume('echo kept > /data/file');
    expect(await withVolume('cat /data/file')).toContain('kept');
    const pvc = await core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: ns.name });
    const volumesDir = join(realCluster().realNode.dir, 'volumes');
    const onDisk = (): string[] => (existsSync(volumesDir) ? readdirSync(volumesDir) : []).filter((d) => d.startsWith(pvc.spec!.volumeName!));
    expect(onDisk()).toHaveLength(1);
    await core.deleteNamespacedPersistentVolumeClaim({ name: claim, namespace: ns.name });
    await expect.poll(onDisk, { timeout: 60_000, interval: 500 }).toHaveLength(0);
  });

  it('serves an Ingress through Traefik on a loopback port, by Host header, once a policy lets the ingress namespace in', async () => {
    const app = uniqueName('site');
    const host = `${app}.real.test`;
    await core.createNamespacedPod({ namespace: ns.name, body: {
      metadata: { name: app, labels: { app } },
      spec: { ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], automountServiceAccountToken: false, containers: [{
        name: 'web', image: BUSYBOX, imagePullPolicy: 'Never', command: ['/bin/sh', '-c', `echo ${app} > /tmp/index.html && httpd -f -p 8080 -h /tmp`],
        ports: [{ containerPort: 8080 }], securityContext: RESTRICTED_CONTAINER,
      }] },
    } });
    await core.createNamespacedService({ namespace: ns.name, body: {
      metadata: { name: app }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
    } });
    await net.createNamespacedIngress({ namespace: ns.name, body: {
      metadata: { name: app },
      spec: { ingressClassName: INGRESS.className, rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix',
        backend: { service: { name: app, port: { number: 80 } } } }] } }] },
    } });
    const answer = async (): Promise<string> => {
      const res = await viaIngress(host);
      return res.status === 200 ? res.body.trim() : `status ${res.status}`;
    };
    // the namespace's default-deny (previous test) keeps Traefik out: a bad gateway, not the page
    await expect.poll(answer, { timeout: 60_000, interval: 500 }).toBe('status 502');
    await net.createNamespacedNetworkPolicy({ namespace: ns.name, body: {
      metadata: { name: 'allow-ingress' },
      spec: { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'], ingress: [{
        _from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': INGRESS.namespace } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }] },
    } });
    await expect.poll(answer, { timeout: 60_000, interval: 500 }).toBe(app);
    // another host is not routed to it
    expect((await viaIngress('nobody.real.test')).status).toBe(404);
  });

  it('drops what a pod sends off the bridge (to a test host of our own outside it) and masquerades nothing', async () => {
    // a stand-in "outside" host: a network namespace of this test, reached through a veth, never the uplink
    const nsName = uniqueName('sp'); // interface names: 15 characters at most
    const sh = (cmd: string): string => execFileSync('sh', ['-c', cmd], { encoding: 'utf8' });
    try {
      sh(`ip netns add ${nsName} && ip link add ${nsName}-h type veth peer name ${nsName}-o && ip link set ${nsName}-o netns ${nsName}`);
      sh(`ip addr add 10.99.0.1/24 dev ${nsName}-h && ip link set ${nsName}-h up`);
      sh(`ip -n ${nsName} addr add 10.99.0.2/24 dev ${nsName}-o && ip -n ${nsName} link set ${nsName}-o up && ip -n ${nsName} route add default via 10.99.0.1`);
      const before = guardDrops();
      const ran = await runOnce(ns.name, tcpProbe('10.99.0.2', 80));
      expect(ran.logs).toContain('REFUSED');
      expect(guardDrops()).toBeGreaterThan(before);
    } finally {
      sh(`ip link del ${nsName}-h 2>/dev/null || true; ip netns delete ${nsName} 2>/dev/null || true`);
    }
    const nat = execFileSync('iptables', ['-t', 'nat', '-S', 'POSTROUTING'], { encoding: 'utf8' });
    expect(nat).not.toMatch(new RegExp(`-s ${REAL_NODE.cidr.replace('.', '\\.')}.*MASQUERADE`));
  });
});

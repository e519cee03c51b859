import { AppsV1Api, AuthenticationV1Api, BatchV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, deleteNamespace, kubeConfig, messageOf, statusOf } from '../support/cluster.js';

// The simulated cluster is the foundation every other integration test stands on: these tests
// prove it behaves like a real one where the platform depends on it.

const kc = kubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const batch = kc.makeApiClient(BatchV1Api);

async function eventually<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not reached in ${timeoutMs / 1000}s; last: ${JSON.stringify(last)?.slice(0, 400)}`);
}

const container = { name: 'app', image: 'registry.k8s.io/pause:3.10' };

describe('simulated cluster', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await createTestNamespace('cluster');
  });
  afterAll(async () => {
    await deleteNamespace(ns, false);
  });

  it('runs a Deployment whose pod mounts a PersistentVolumeClaim to Ready', async () => {
    await core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: {
      metadata: { name: 'content' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    } });
    await apps.createNamespacedDeployment({ namespace: ns, body: {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: {
          containers: [{ ...container, volumeMounts: [{ name: 'content', mountPath: '/data' }] }],
          volumes: [{ name: 'content', persistentVolumeClaim: { claimName: 'content' } }],
        } },
      },
    } });
    const pvc = await eventually('PVC Bound', () => core.readNamespacedPersistentVolumeClaim({ name: 'content', namespace: ns }),
      (c) => c.status?.phase === 'Bound');
    expect(pvc.spec?.storageClassName).toBe('kwok-volume'); // the default class was applied by admission
    const deployment = await eventually('Deployment available', () => apps.readNamespacedDeployment({ name: 'web', namespace: ns }),
      (d) => d.status?.availableReplicas === 1);
    expect(deployment.status?.readyReplicas).toBe(1);
  });

  it('runs a StatefulSet with volumeClaimTemplates to Ready', async () => {
    await apps.createNamespacedStatefulSet({ namespace: ns, body: {
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: {
          containers: [{ ...container, volumeMounts: [{ name: 'data', mountPath: '/var/lib/data' }] }],
        } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } }],
      },
    } });
    await eventually('StatefulSet ready', () => apps.readNamespacedStatefulSet({ name: 'db', namespace: ns }),
      (s) => s.status?.readyReplicas === 1);
    const claim = await core.readNamespacedPersistentVolumeClaim({ name: 'data-db-0', namespace: ns });
    expect(claim.status?.phase).toBe('Bound');
  });

  it('runs a Job to Complete', async () => {
    await batch.createNamespacedJob({ namespace: ns, body: {
      metadata: { name: 'once' },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [container] } } },
    } });
    const job = await eventually('Job complete', () => batch.readNamespacedJob({ name: 'once', namespace: ns }),
      (j) => Boolean(j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')));
    expect(job.status?.succeeded).toBe(1);
  });

  it('serves container logs through the API server', async () => {
    const pods = await eventually('web pod running', () => core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' }),
      (l) => l.items.some((p) => p.status?.phase === 'Running'));
    const log = await core.readNamespacedPodLog({ name: pods.items[0]!.metadata!.name!, namespace: ns, tailLines: 5 });
    expect(log).toContain('[simulated]');
  });
});

describe('admission', () => {
  it('fails to create pods beyond a ResourceQuota', async () => {
    const ns = await createTestNamespace('quota');
    try {
      await core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'q' }, spec: { hard: { pods: '1' } } } });
      // the quota is enforced only once the controller-manager has published its status
      await eventually('quota observed', () => core.readNamespacedResourceQuota({ name: 'q', namespace: ns }), (q) => Boolean(q.status?.hard));
      const pod = (name: string): V1Pod => ({ metadata: { name }, spec: { containers: [container] } });
      await eventually('default ServiceAccount', () => core.listNamespacedServiceAccount({ namespace: ns }), (l) => l.items.length > 0);
      await core.createNamespacedPod({ namespace: ns, body: pod('first') });
      const refused = await core.createNamespacedPod({ namespace: ns, body: pod('second') }).then(() => undefined, (e: unknown) => e);
      expect(statusOf(refused)).toBe(403);
      expect(messageOf(refused)).toMatch(/exceeded quota/);
    } finally {
      await deleteNamespace(ns, false);
    }
  });

  it('fails to admit a privileged pod where Pod Security "restricted" is enforced', async () => {
    const ns = await createTestNamespace('restricted', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    try {
      const refused = await core.createNamespacedPod({ namespace: ns, dryRun: 'All', body: {
        metadata: { name: 'root' },
        spec: { containers: [{ ...container, securityContext: { privileged: true } }] },
      } }).then(() => undefined, (e: unknown) => e);
      expect(statusOf(refused)).toBe(403);
      expect(messageOf(refused)).toMatch(/violates PodSecurity "restricted:latest": privileged/);
    } finally {
      await deleteNamespace(ns, false);
    }
  });
});

describe('namespace deletion', () => {
  it('removes the namespace and everything in it', async () => {
    const ns = await createTestNamespace('gone');
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'c' }, data: { a: 'b' } } });
    await apps.createNamespacedDeployment({ namespace: ns, body: {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } },
    } });
    await eventually('pod running', () => core.listNamespacedPod({ namespace: ns }), (l) => l.items.some((p) => p.status?.phase === 'Running'));
    await deleteNamespace(ns, true);
    const pods = await core.listPodForAllNamespaces({ fieldSelector: `metadata.namespace=${ns}` });
    expect(pods.items).toHaveLength(0);
    expect(statusOf(await core.readNamespace({ name: ns }).catch((e: unknown) => e))).toBe(404);
  });
});

describe('RBAC', () => {
  it('refuses a ServiceAccount token without rights, and allows it once a Role is bound', async () => {
    const ns = await createTestNamespace('rbac');
    try {
      await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'reader' } } });
      const token = await core.createNamespacedServiceAccountToken({ name: 'reader', namespace: ns, body: { spec: { audiences: [], expirationSeconds: 600 } } });
      const asReader = new KubeConfig();
      const cluster = kc.getCurrentCluster()!;
      asReader.loadFromOptions({
        clusters: [cluster],
        users: [{ name: 'reader', token: token.status!.token }],
        contexts: [{ name: 'reader', cluster: cluster.name, user: 'reader' }],
        currentContext: 'reader',
      });
      const readerCore = asReader.makeApiClient(CoreV1Api);
      const denied = await readerCore.listNamespacedConfigMap({ namespace: ns }).then(() => undefined, (e: unknown) => e);
      expect(statusOf(denied)).toBe(403);

      const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
      await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name: 'read-config' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] } });
      await rbac.createNamespacedRoleBinding({ namespace: ns, body: { metadata: { name: 'reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-config' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }] } });
      const allowed = await eventually('role effective', () => readerCore.listNamespacedConfigMap({ namespace: ns }).then(() => true, () => false), (ok) => ok, 10_000);
      expect(allowed).toBe(true);
      // still nothing outside the Role
      expect(statusOf(await readerCore.listNamespacedSecret({ namespace: ns }).catch((e: unknown) => e))).toBe(403);
      const review = await kc.makeApiClient(AuthenticationV1Api).createTokenReview({ body: { spec: { token: token.status!.token! } } });
      expect(review.status?.user?.username).toBe(`system:serviceaccount:${ns}:reader`);
    } finally {
      await deleteNamespace(ns, false);
    }
  });
});

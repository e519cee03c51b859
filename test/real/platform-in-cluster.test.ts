import { AdmissionregistrationV1Api, AppsV1Api, CoreV1Api, RbacAuthorizationV1Api, type V1Pod } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGED_BY_LABEL } from '../../constructs/index.js';
import { INGRESS, REAL_NODE, STORAGE_CLASS } from '../../infra/cluster/real-node/index.js';
import { imageOverrideEnv, standInImage } from '../../infra/images/images.js';
import { specFor } from '../integration/api-harness.js';
import { chartDir, helm, helmOk } from '../support/helm.js';
import { apiCallsScript, importPlatformImage, runAs, type ImportedImage } from './platform-support.js';
import { ON_REAL_NODE, realCluster, realKubeConfig, testNamespace, uniqueName, until } from './support.js';

// The platform's own image, installed with its chart on the real node: the pod runs read-only as
// uid 1000, reaches the API server through in-cluster config with the chart's ServiceAccount, and
// provisions and deletes a WooCommerce store there. wp-cli is on no registry this machine reaches,
// so store-setup fails (test/real/woocommerce-store.test.ts says why); the steps up to WordPress
// are asserted. Then a pod with the same ServiceAccount is refused everything outside store namespaces.

const BASE_DOMAIN = 'stores.platform-real.test';
const overrides = imageOverrideEnv();

interface TimelineEvent { step: string; phase: string; message?: string }

describe('the platform image installed by its chart on the real node (store-setup cannot run: no wp-cli here)', () => {
  const release = uniqueName('pic');
  const fullname = `${release}-store-platform`;
  const kc = () => realCluster().kubeconfig;
  let image: ImportedImage;
  let namespace = '';
  let removeNamespace: () => Promise<void> = async () => undefined;
  let base = '';
  let adminKey = '';
  let installSeconds = 0;
  const core = (): CoreV1Api => realKubeConfig().makeApiClient(CoreV1Api);

  beforeAll(async () => {
    realCluster();
    image = importPlatformImage();
    const ns = await testNamespace('platform-real');
    namespace = ns.name;
    removeNamespace = ns.remove;
    const values = {
      image: { repository: 'localhost/store-platform', tag: image.tag, pullPolicy: 'Never' },
      nodeSelector: ON_REAL_NODE.nodeSelector,
      tolerations: ON_REAL_NODE.tolerations,
      persistence: { storageClass: STORAGE_CLASS, keepOnUninstall: false },
      config: {
        baseDomain: BASE_DOMAIN, ingressClass: INGRESS.className, ingressNamespace: INGRESS.namespace, ingressService: INGRESS.service, storeStorageClass: STORAGE_CLASS,
        images: { wordpress: overrides.WORDPRESS_IMAGE, wpCli: overrides.WP_CLI_IMAGE, mysql: overrides.MYSQL_IMAGE, curl: overrides.CURL_IMAGE },
      },
      extraEnv: { STORE_NODE_POOL: `${REAL_NODE.poolLabel}=${REAL_NODE.pool}` },
    };
    const dir = mkdtempSync(join(tmpdir(), 'platform-values-'));
    try {
      writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
      const t = Date.now();
      helmOk(['install', release, chartDir, '-n', namespace, '-f', join(dir, 'values.json'), '--wait', '--timeout', '5m'], { kubeconfig: kc(), timeoutMs: 360_000 });
      installSeconds = (Date.now() - t) / 1000;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const svc = await core().readNamespacedService({ name: fullname, namespace });
    base = `http://${svc.spec!.clusterIP!}:${svc.spec!.ports![0]!.port}`;
    const secret = await core().readNamespacedSecret({ name: `${fullname}-admin-key`, namespace });
    adminKey = Buffer.from(secret.data!['admin-key']!, 'base64').toString('utf8');
    // kube-proxy programs the Service a moment after the pod turns Ready; until then it refuses
    await until('the platform Service to route to its pod', async () => (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined))?.status, 60_000, 500);
    console.log(`platform image ${image.ref}: build ${image.buildSeconds?.toFixed(0) ?? 'cached'} s, import ${image.importSeconds.toFixed(1)} s, helm install --wait ${installSeconds.toFixed(1)} s`);
  }, 30 * 60_000);

  afterAll(async () => {
    if (namespace) helm(['uninstall', release, '-n', namespace, '--wait'], { kubeconfig: kc() });
    await removeNamespace();
  });

  const call = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });

  async function platformPod(): Promise<V1Pod> {
    const pods = await core().listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${release}` });
    expect(pods.items).toHaveLength(1);
    return pods.items[0]!;
  }

  it('runs Ready on real-0 from the local image: read-only root, uid 1000, its own ServiceAccount, under Pod Security "restricted"', async () => {
    const pod = await platformPod();
    expect(pod.spec?.nodeName).toBe(REAL_NODE.name);
    expect(pod.spec?.serviceAccountName).toBe(fullname);
    const [c] = pod.spec!.containers;
    expect(c!.image).toBe(image.ref);
    expect(c!.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(pod.spec?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ ready: true, restartCount: 0 });
    expect((await core().readNamespace({ name: namespace })).metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // /readyz answers 200 only when the database opens and the API server (in-cluster config) answers
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await call('GET', '/api/v1/stores')).status).toBe(200);
    expect((await fetch(`${base}/api/v1/stores`)).status).toBe(401);
  });

  it('provisions a WooCommerce store on the real node through its ServiceAccount (the steps up to WordPress, for real), then deletes it', async () => {
    const name = uniqueName('pic-shop');
    const t = Date.now();
    const res = await call('POST', '/api/v1/stores', specFor(name, { plan: 'small' }));
    expect(res.status).toBe(202);
    const { id, namespace: storeNs } = (await res.json()) as { id: string; namespace: string };
    const timeline = async (): Promise<TimelineEvent[]> => ((await (await call('GET', `/api/v1/stores/${id}/events`)).json()) as { items: TimelineEvent[] }).items;
    const expected = ['namespace', 'guardrails', 'secrets', 'network-policy', 'mysql', 'wordpress'];
    await until('the in-cluster platform to run the steps up to WordPress', async () => {
      const done = new Set((await timeline()).filter((e) => e.phase === 'succeeded').map((e) => e.step));
      return expected.every((s) => done.has(s)) ? true : undefined;
    }, 300_000, 2000);
    console.log(`in-cluster platform: request to WordPress Ready ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const ns = await core().readNamespace({ name: storeNs });
    expect(ns.metadata?.labels?.[MANAGED_BY_LABEL]).toBe('store-platform');
    const secrets = (await core().listNamespacedSecret({ namespace: storeNs })).items.map((s) => s.metadata!.name!);
    expect(secrets).toEqual(expect.arrayContaining(['mysql-credentials', 'wordpress-admin', 'wordpress-salts']));
    for (const component of ['mysql', 'wordpress']) {
      const pods = (await core().listNamespacedPod({ namespace: storeNs, labelSelector: `app.kubernetes.io/name=${component}` })).items;
      expect(pods.length, component).toBeGreaterThan(0);
      for (const p of pods) {
        expect(p.spec?.nodeName, component).toBe(REAL_NODE.name);
        expect(p.status?.containerStatuses?.every((s) => s.ready), component).toBe(true);
      }
    }
    // the image overrides reached the store through the chart's values
    const db = (await core().listNamespacedPod({ namespace: storeNs, labelSelector: 'app.kubernetes.io/name=mysql' })).items[0]!;
    expect(db.spec!.containers[0]!.image).toBe(standInImage('mariadb').ref);

    const t2 = Date.now();
    expect((await call('DELETE', `/api/v1/stores/${id}`)).status).toBe(202);
    await until(`namespace ${storeNs} to go`, async () =>
      (await core().readNamespace({ name: storeNs }).then(() => false, (err: { code?: number }) => err.code === 404)) ? true : undefined, 240_000, 2000);
    await until('the store to read Deleted', async () =>
      ((await (await call('GET', `/api/v1/stores/${id}`)).json()) as { status: string }).status === 'Deleted' ? true : undefined, 60_000, 1000);
    console.log(`in-cluster platform: delete to namespace gone ${((Date.now() - t2) / 1000).toFixed(1)} s`);
  }, 600_000);

  it('refuses its ServiceAccount, from inside the cluster, everything outside store namespaces', async () => {
    const labelled = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [MANAGED_BY_LABEL]: 'store-platform' } } });
    const script = apiCallsScript({
      listKubeSystemSecrets: { method: 'GET', path: '/api/v1/namespaces/kube-system/secrets' },
      readKubeSystemSecret: { method: 'GET', path: '/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef' },
      readOwnAdminKey: { method: 'GET', path: `/api/v1/namespaces/${namespace}/secrets/${fullname}-admin-key` },
      createOtherNamespace: { method: 'POST', path: '/api/v1/namespaces?dryRun=All', body: labelled(uniqueName('not-a-store')) },
      createClusterRole: {
        method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles?dryRun=All',
        body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: uniqueName('escalate') }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
      },
      // the control: the same token, from the same pod, may create a store namespace
      createStoreNamespace: { method: 'POST', path: '/api/v1/namespaces?dryRun=All', body: labelled(uniqueName('store-pic')) },
    });
    const ran = await runAs(namespace, fullname, standInImage('node').ref, ['node', '-e', script]);
    expect(ran.exitCode, ran.logs).toBe(0);
    const out = JSON.parse(ran.logs.trim().split('\n').at(-1)!) as Record<string, { status: number; message: string }>;
    expect(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.status])), JSON.stringify(out)).toEqual({
      listKubeSystemSecrets: 403, readKubeSystemSecret: 403, readOwnAdminKey: 403, createOtherNamespace: 403, createClusterRole: 403, createStoreNamespace: 201,
    });
    expect(out.createOtherNamespace!.message).toMatch(/store-\*/);
  });

  it('helm uninstall removes the Deployment, Service, volume claim, RBAC and admission policy (the admin key Secret stays by design)', async () => {
    helmOk(['uninstall', release, '-n', namespace, '--wait', '--timeout', '3m'], { kubeconfig: kc(), timeoutMs: 200_000 });
    const gone = (p: Promise<unknown>) => p.then(() => 'present', (err: { code?: number }) => (err.code === 404 ? 'gone' : `error ${err.code ?? '?'}`));
    const apps = realKubeConfig().makeApiClient(AppsV1Api);
    const rbac = realKubeConfig().makeApiClient(RbacAuthorizationV1Api);
    const admission = realKubeConfig().makeApiClient(AdmissionregistrationV1Api);
    expect({
      deployment: await gone(apps.readNamespacedDeployment({ name: fullname, namespace })),
      service: await gone(core().readNamespacedService({ name: fullname, namespace })),
      pvc: await gone(core().readNamespacedPersistentVolumeClaim({ name: `${fullname}-data`, namespace })),
      clusterRole: await gone(rbac.readClusterRole({ name: fullname })),
      clusterRoleBinding: await gone(rbac.readClusterRoleBinding({ name: fullname })),
      policy: await gone(admission.readValidatingAdmissionPolicy({ name: `${fullname}-store-namespaces-only` })),
      policyBinding: await gone(admission.readValidatingAdmissionPolicyBinding({ name: `${fullname}-store-namespaces-only` })),
      adminKey: await gone(core().readNamespacedSecret({ name: `${fullname}-admin-key`, namespace })),
    }).toEqual({ deployment: 'gone', service: 'gone', pvc: 'gone', clusterRole: 'gone', clusterRoleBinding: 'gone', policy: 'gone', policyBinding: 'gone', adminKey: 'present' });
    await until('the platform pod to go', async () =>
      (await core().listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${release}` })).items.length === 0 ? true : undefined, 60_000);
  });
});


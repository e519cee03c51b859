import { AppsV1Api, CoreV1Api, KubernetesObjectApi, type KubernetesObject, type V1Deployment } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigSchema, loadConfig } from '../../src/config.js';
import { createTestNamespace, deleteNamespace, kubeConfig, kubeconfigPath, statusOf } from '../support/cluster.js';
import { chartDir, helm, helmOk, kubernetesVersion, valuesFiles } from '../support/helm.js';

// The chart as operators use it: linted, rendered for each shipped values file, judged by the real API server
// (server-side dry run, Pod Security "restricted" admission), installed, upgraded and rolled back.

type Obj = KubernetesObject & { metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: unknown };

function render(release: string, namespace: string, args: readonly string[] = []): Obj[] {
  const out = helmOk(['template', release, chartDir, '--namespace', namespace, '--kube-version', kubernetesVersion(), ...args]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

function find<T = Obj>(objs: Obj[], kind: string): T {
  const o = objs.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} rendered`);
  return o as T;
}

function envOf(objs: Obj[]): Record<string, string> {
  const c = find<V1Deployment>(objs, 'Deployment').spec!.template.spec!.containers[0]!;
  return Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? '']));
}

const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };

describe('chart store-platform', () => {
  let ns: string;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    ns = await createTestNamespace('helm-chart', RESTRICTED);
    objects = KubernetesObjectApi.makeApiClient(kubeConfig());
  });
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it.each(valuesFiles)('passes helm lint --strict with %s', (file) => {
    const res = helm(['lint', chartDir, '--strict', '-f', join(chartDir, file), '--kube-version', kubernetesVersion()]);
    expect(res.stdout + res.stderr).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(res.status).toBe(0);
  });

  it('fails helm lint on values its schema refuses', () => {
    for (const bad of ['config.concurrency=0', 'adminKey.value=too-short', 'config.baseDomain=Not_A_Domain', 'image.pullPolicy=Sometimes', 'config.images.mysql=mysql', 'config.clusterCidrs={10.0.0.0}']) {
      const res = helm(['lint', chartDir, '--set', bad, '--kube-version', kubernetesVersion()]);
      expect(res.status, bad).not.toBe(0);
    }
  });

  it.each(valuesFiles)('renders %s into objects the API server accepts (server-side dry run)', async (file) => {
    const objs = render('dry', ns, ['-f', join(chartDir, file)]);
    expect(objs.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service', 'ServiceAccount']));
    for (const obj of objs) {
      try {
        await objects.create(obj, undefined, 'All');
      } catch (err) {
        throw new Error(`${file}: ${obj.kind} ${obj.metadata.name} refused: ${String((err as { body?: unknown }).body ?? err)}`);
      }
    }
    // Deployments are only warned about; the Pod they make must pass "restricted" enforcement
    const template = find<V1Deployment>(objs, 'Deployment').spec!.template;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'platform-pod', namespace: ns }, spec: { ...template.spec!, serviceAccountName: 'default' } };
    await kubeConfig().makeApiClient(CoreV1Api).createNamespacedPod({ namespace: ns, body: pod, dryRun: 'All' });
  });

  it.each(valuesFiles)('passes %s to the platform as variables src/config.ts knows and accepts', (file) => {
    const objs = render('env', ns, ['-f', join(chartDir, file)]);
    const env = envOf(objs);
    for (const name of Object.keys(env)) expect(Object.keys(ConfigSchema.shape), `${name} is not a setting of src/config.ts`).toContain(name);
    expect(env.HOST).toBe('0.0.0.0');
    // the key file is the Secret's item, inside the Secret's read-only mount
    const spec = find<V1Deployment>(objs, 'Deployment').spec!.template.spec!;
    const mount = spec.containers[0]!.volumeMounts!.find((m) => m.name === 'admin-key')!;
    const vol = spec.volumes!.find((v) => v.name === 'admin-key')!;
    expect(env.STORE_PLATFORM_ADMIN_KEY_FILE).toBe(`${mount.mountPath}/${vol.secret!.items![0]!.path}`);
    const secret = find<{ data: Record<string, string> }>(objs, 'Secret');
    const key = Buffer.from(Object.values(secret.data)[0]!, 'base64').toString();
    const config = loadConfig(env, (p) => {
      expect(p).toBe(env.STORE_PLATFORM_ADMIN_KEY_FILE);
      return `${key}\n`;
    });
    expect(config.STORE_PLATFORM_ADMIN_KEY).toBe(key);
    expect(config.HOST).toBe('0.0.0.0');
  });

  it('fails the platform config when a value is wrong (an operator typo stops the pod, not the stores)', () => {
    const env = envOf(render('env', ns, ['--set', 'extraEnv.CONCURRENCY=many']));
    expect(() => loadConfig(env, () => 'k'.repeat(40))).toThrow(/CONCURRENCY/);
  });

  it('runs one replica, Recreate, probed, restricted and read-only with a writable /tmp', () => {
    const objs = render('shape', ns);
    const d = find<V1Deployment>(objs, 'Deployment');
    expect(d.spec!.replicas).toBe(1);
    expect(d.spec!.strategy!.type).toBe('Recreate');
    const pod = d.spec!.template.spec!;
    const c = pod.containers[0]!;
    expect(c.livenessProbe!.httpGet!.path).toBe('/healthz');
    expect(c.startupProbe!.httpGet!.path).toBe('/healthz');
    expect(c.readinessProbe!.httpGet!.path).toBe('/readyz');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources!.requests).toBeDefined();
    expect(c.resources!.limits).toBeDefined();
    const mounts = Object.fromEntries(c.volumeMounts!.map((m) => [m.mountPath, m.name]));
    expect(pod.volumes!.find((v) => v.name === mounts['/tmp'])!.emptyDir).toBeDefined();
    expect(pod.volumes!.find((v) => v.name === mounts['/data'])!.persistentVolumeClaim!.claimName).toBe(find(objs, 'PersistentVolumeClaim').metadata.name);
    expect(envOf(objs).DATABASE_PATH).toMatch(/^\/data\//);
  });

  it('generates a 40-character admin key, or takes it by value, or from an existing Secret', () => {
    const generated = find<{ data: Record<string, string> }>(render('key', ns), 'Secret');
    expect(Buffer.from(generated.data['admin-key']!, 'base64').toString()).toMatch(/^[A-Za-z0-9]{40}$/);
    const given = find<{ data: Record<string, string> }>(render('key', ns, ['--set', `adminKey.value=${'x'.repeat(32)}`]), 'Secret');
    expect(Buffer.from(given.data['admin-key']!, 'base64').toString()).toBe('x'.repeat(32));
    const existing = render('key', ns, ['--set', 'adminKey.existingSecret=my-key', '--set', 'adminKey.secretKey=token']);
    expect(existing.filter((o) => o.kind === 'Secret')).toEqual([]);
    const spec = find<V1Deployment>(existing, 'Deployment').spec!.template.spec!;
    expect(spec.volumes!.find((v) => v.name === 'admin-key')!.secret).toMatchObject({ secretName: 'my-key', items: [{ key: 'token', path: 'token' }] });
    expect(envOf(existing).STORE_PLATFORM_ADMIN_KEY_FILE).toMatch(/\/token$/);
  });

  it('renders an Ingress with cert-manager TLS only when asked', () => {
    expect(render('ing', ns).filter((o) => o.kind === 'Ingress')).toEqual([]);
    const ing = find<{ metadata: { annotations: Record<string, string> }; spec: { tls: { hosts: string[] }[]; rules: { host: string }[] } }>(
      render('ing', ns, ['-f', join(chartDir, 'values-prod.yaml')]), 'Ingress');
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(ing.spec.tls[0]!.hosts).toEqual([ing.spec.rules[0]!.host]);
  });

  it('installs, upgrades keeping the admin key, rolls back, and uninstalls keeping the data', async () => {
    const release = `sp-${randomBytes(3).toString('hex')}`;
    const target = await createTestNamespace('helm-install', RESTRICTED);
    const core = kubeConfig().makeApiClient(CoreV1Api);
    const apps = kubeConfig().makeApiClient(AppsV1Api);
    const name = `${release}-store-platform`;
    const kc = kubeconfigPath();
    const readKey = async () => Buffer.from((await core.readNamespacedSecret({ name: `${name}-admin-key`, namespace: target })).data!['admin-key']!, 'base64').toString();
    const concurrency = async () => (await apps.readNamespacedDeployment({ name, namespace: target })).spec!.template.spec!.containers[0]!.env!.find((e) => e.name === 'CONCURRENCY')!.value;
    try {
      helmOk(['install', release, chartDir, '-n', target, '--wait', '--timeout', '2m'], { kubeconfig: kc });
      const d = await apps.readNamespacedDeployment({ name, namespace: target });
      expect(d.status!.availableReplicas).toBe(1);
      const pvc = await core.readNamespacedPersistentVolumeClaim({ name: `${name}-data`, namespace: target });
      expect(pvc.status!.phase).toBe('Bound');
      const key = await readKey();
      expect(key).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(await concurrency()).toBe('3');

      helmOk(['upgrade', release, chartDir, '-n', target, '--set', 'config.concurrency=5', '--wait', '--timeout', '2m'], { kubeconfig: kc });
      expect(await readKey()).toBe(key);
      expect(await concurrency()).toBe('5');

      helmOk(['rollback', release, '1', '-n', target, '--wait', '--timeout', '2m'], { kubeconfig: kc });
      expect(await concurrency()).toBe('3');
      expect(helmOk(['history', release, '-n', target, '-o', 'json'], { kubeconfig: kc })).toMatch(/"revision":3/);

      helmOk(['uninstall', release, '-n', target, '--wait'], { kubeconfig: kc });
      await expect(apps.readNamespacedDeployment({ name, namespace: target })).rejects.toSatisfy((e) => statusOf(e) === 404);
      // the database and the key that unlocks it survive an uninstall; a reinstall picks both up again
      await core.readNamespacedPersistentVolumeClaim({ name: `${name}-data`, namespace: target });
      helmOk(['install', release, chartDir, '-n', target, '--wait', '--timeout', '2m'], { kubeconfig: kc });
      expect(await readKey()).toBe(key);
    } finally {
      helm(['uninstall', release, '-n', target, '--wait'], { kubeconfig: kc });
      await deleteNamespace(target);
    }
  });
});

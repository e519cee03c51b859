import {
  ApiException, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, RbacAuthorizationV1Api, type KubernetesObject, type V1ClusterRole,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  DEFAULT_PLATFORM_SETTINGS, MANAGED_BY_LABEL, PLANS, backupCredentialsSecret, backupRepositorySecret, engineOf, storeIngressOf,
  synthesizeMaintenance, synthesizeStore,
} from '../../constructs/index.js';
import { BackupsRepo } from '../../src/db/repos/backups-repo.js';
import { openDb } from '../../src/db/client.js';
import { kubeClientsFrom } from '../../src/k8s/client.js';
import { createLogger } from '../../src/logger.js';
import { generateStoreSecrets } from '../../src/manifests/secrets.js';
import { Provisioner } from '../../src/provisioner/index.js';
import { createTestNamespace, deleteNamespace, kubeConfig, kubeconfigPath, statusOf } from '../support/cluster.js';
import { chartDir, helm, helmOk, kubernetesVersion } from '../support/helm.js';

// Least privilege, for real: the chart is installed, and everything below runs with a token of the chart's
// ServiceAccount (TokenRequest API), never with the admin kubeconfig. The engine provisions and deletes a
// whole store with it; the same token is refused Secrets outside the store's names, cluster-scoped RBAC,
// and any write outside a store namespace.

/** Exposes API discovery (kind -> plural resource), which KubernetesObjectApi keeps protected. */
class Discovery extends KubernetesObjectApi {
  public async plural(apiVersion: string, kind: string): Promise<string> {
    const r = await this.resource(apiVersion, kind);
    if (!r) throw new Error(`the API server does not serve ${apiVersion} ${kind}`);
    return r.name;
  }
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

function messageOf(err: unknown): string {
  if (err instanceof ApiException) return typeof err.body === 'string' ? err.body : JSON.stringify(err.body);
  return String(err);
}

/** Runs `fn` and returns the HTTP status it was refused with (or 'allowed'). */
async function outcome(fn: () => Promise<unknown>): Promise<{ status: number | 'allowed'; message: string }> {
  try {
    await fn();
    return { status: 'allowed', message: '' };
  } catch (err) {
    return { status: statusOf(err) ?? -1, message: messageOf(err) };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The resources the change feed lists and watches (src/k8s/change-feed.ts). */
const WATCHED = ['namespaces', 'resourcequotas', 'statefulsets', 'deployments', 'jobs'];

/** A target for the chart's values and the engine; kwok's backup stages end the Jobs, nothing reaches it. */
const BACKUP_TARGET = { endpoint: 'http://10.9.9.9:9000', bucket: 'rbac-backups', region: 'us-east-1', image: 'store-platform/backup:0.1.0-r1', egress: { cidrs: ['10.9.9.9/32'], port: 9000 } };

describe('the chart ServiceAccount (least privilege)', () => {
  const release = `lp-${randomBytes(3).toString('hex')}`;
  const fullname = `${release}-store-platform`;
  let platformNs: string;
  let sa: KubeConfig;
  let clusterRole: V1ClusterRole;

  beforeAll(async () => {
    platformNs = await createTestNamespace('rbac-platform');
    // with a backup target, so the escrow Secret, its Role and the admission exception are installed too
    helmOk(['install', release, chartDir, '-n', platformNs, '--wait', '--timeout', '2m',
      '--set', `backup.endpoint=${BACKUP_TARGET.endpoint}`, '--set', `backup.bucket=${BACKUP_TARGET.bucket}`, '--set', 'backup.credentialsSecret=backup-s3',
      '--set', `backup.egressCidrs={${BACKUP_TARGET.egress.cidrs.join(',')}}`], { kubeconfig: kubeconfigPath() });
    const admin = kubeConfig();
    const token = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      name: fullname, namespace: platformNs, body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const cluster = admin.getCurrentCluster()!;
    sa = new KubeConfig();
    sa.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'platform', token: token.status!.token }],
      contexts: [{ name: 'platform', cluster: cluster.name, user: 'platform' }],
      currentContext: 'platform',
    });
    clusterRole = await admin.makeApiClient(RbacAuthorizationV1Api).readClusterRole({ name: fullname });
    // the API server picks a new admission policy up asynchronously: wait until it bites
    const core = sa.makeApiClient(CoreV1Api);
    for (let i = 0; ; i++) {
      const r = await outcome(() => core.createNamespace({ body: { metadata: { name: `probe-${randomBytes(3).toString('hex')}` } }, dryRun: 'All' }));
      if (r.status === 403 && r.message.includes('ValidatingAdmissionPolicy')) break;
      if (i > 100) throw new Error(`admission policy not in force after 20s: ${r.status} ${r.message}`);
      await sleep(200);
    }
  });

  afterAll(async () => {
    helm(['uninstall', release, '-n', platformNs, '--wait'], { kubeconfig: kubeconfigPath() });
    if (platformNs) await deleteNamespace(platformNs);
  });

  it('has a ClusterRole rule for every kind a store synthesizes, and no wildcard or escalation verb', async () => {
    const discovery = kubeConfig().makeApiClient(Discovery);
    const allows = (group: string, resource: string, verb: string, name?: string) =>
      (clusterRole.rules ?? []).some((r) =>
        (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource) && r.verbs.includes(verb) &&
        (r.resourceNames === undefined || (name !== undefined && r.resourceNames.includes(name))));
    const missing: string[] = [];
    for (const plan of PLANS) {
      const steps = synthesizeStore({
        spec: { name: 'rbac-probe', engine: 'woocommerce', plan, adminEmail: 'owner@example.com', title: 'Probe', currency: 'USD' },
        secrets: generateStoreSecrets(),
        platform: DEFAULT_PLATFORM_SETTINGS,
      });
      const runs = (['woocommerce', 'medusa'] as const).flatMap((engine) => {
        const options = { spec: { name: 'rbac-probe', plan }, platform: DEFAULT_PLATFORM_SETTINGS, target: BACKUP_TARGET, backupId: 'probe' };
        return [...engineOf(engine).backup.backupObjects('rbac-probe', options), ...engineOf(engine).backup.restoreObjects('rbac-probe', options),
          backupRepositorySecret('rbac-probe', 'p'.repeat(32)), backupCredentialsSecret('rbac-probe', { accessKeyId: 'a', secretAccessKey: 'b' })];
      });
      // a suspended store's maintenance page: applied like the store's objects, and deleted by name on resume
      const maintenance = synthesizeMaintenance({ slug: 'rbac-probe', title: 'Probe', ingress: storeIngressOf(steps), platform: DEFAULT_PLATFORM_SETTINGS });
      for (const obj of maintenance[0]!.objects) {
        const group = groupOf(obj.apiVersion);
        const resource = await discovery.plural(obj.apiVersion, obj.kind);
        if (!allows(group, resource, 'delete', obj.metadata.name)) missing.push(`delete ${resource}${group ? `.${group}` : ''} ${obj.metadata.name}`);
      }
      for (const obj of [...steps.flatMap((s) => s.objects), ...maintenance.flatMap((s) => s.objects), ...runs]) {
        const group = groupOf(obj.apiVersion);
        const resource = await discovery.plural(obj.apiVersion, obj.kind);
        // create it; get it (ownership check on AlreadyExists, readiness polls); patch it (server-side apply)
        for (const verb of ['create', 'get', 'patch']) {
          // create cannot be limited by name in RBAC; reads and patches of Secrets are
          const name = obj.kind === 'Secret' && verb !== 'create' ? obj.metadata.name : undefined;
          if (!allows(group, resource, verb, name)) missing.push(`${verb} ${resource}${group ? `.${group}` : ''}${name ? ` ${name}` : ''}`);
        }
      }
    }
    expect([...new Set(missing)]).toEqual([]);
    for (const r of clusterRole.rules ?? []) {
      expect([...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs]).not.toContain('*');
      for (const v of ['escalate', 'bind', 'impersonate']) expect(r.verbs).not.toContain(v);
      // watch only the kinds readiness waits on (the change feed), nothing else: no Secrets, no pods
      if (r.verbs.includes('watch')) expect(WATCHED).toEqual(expect.arrayContaining(r.resources ?? []));
      expect(r.resources ?? []).not.toEqual(expect.arrayContaining(['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'pods/exec']));
    }
    // Secrets are never listed, and read only by name
    expect((clusterRole.rules ?? []).filter((r) => r.resources?.includes('secrets') && r.resourceNames === undefined).flatMap((r) => r.verbs)).toEqual(['create']);
  });

  it('provisions a store to Ready, operates, suspends and resumes it, and deletes it with only the ServiceAccount token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rbac-engine-'));
    const db = openDb(join(dir, 'platform.db'));
    const backups = {
      target: BACKUP_TARGET, credentials: { accessKeyId: 'rbac-access', secretAccessKey: 'rbac-secret' }, pathStyle: undefined,
      escrow: { key: randomBytes(32), namespace: platformNs, name: `${fullname}-backup-keys` }, beforeDelete: true, concurrency: 1, scheduleHours: 0,
    };
    const kube = kubeClientsFrom(sa);
    const provisioner = new Provisioner({
      db,
      kube,
      log: createLogger('silent'),
      options: {
        concurrency: 1, teardownOnFailure: false, platform: DEFAULT_PLATFORM_SETTINGS,
        retry: { baseMs: 100, maxMs: 1_000 }, stepTimeoutSeconds: 90, deleteTimeoutSeconds: 90, backups,
      },
    });
    const name = `lp-${randomBytes(3).toString('hex')}`;
    try {
      await provisioner.start();
      const created = await provisioner.create(
        { name, engine: 'woocommerce', plan: 'small', adminEmail: 'owner@example.com', title: 'Least privilege', currency: 'USD' },
        { actor: 'rbac-test' },
      );
      const wait = async (want: string) => {
        for (let i = 0; i < 900; i++) {
          const row = provisioner.get(created.id);
          if (row.status === want) return row;
          if (row.status === 'Failed') {
            const timeline = provisioner.events(created.id).map((e) => `${e.step} ${e.phase} ${e.message}`).join('\n');
            throw new Error(`store failed at ${row.failedStep ?? '?'}: ${row.statusReason ?? ''}\n${timeline}`);
          }
          await sleep(200);
        }
        throw new Error(`store not ${want} after 180s (status ${provisioner.get(created.id).status})`);
      };
      await wait('Ready');
      // the readiness watches listed and opened with this token too (a refused one would fall back to polling)
      for (const kind of ['Namespace', 'ResourceQuota', 'StatefulSet', 'Deployment', 'Job']) expect(kube.changes.watching(kind)).toBe(true);

      // the operations the API offers on a live store, with the same token
      const health = await provisioner.health(created.id);
      expect(health.pods.length).toBeGreaterThan(0);
      expect(health.quota.length).toBeGreaterThan(0);
      await provisioner.logs(created.id, { component: undefined, tail: 10 });
      const creds = await provisioner.credentials(created.id);
      expect(creds.password.length).toBeGreaterThan(0);
      expect((await provisioner.restart(created.id)).restarted.length).toBeGreaterThan(0);
      // twice: the second reset lists and deletes the first reset's Job
      await provisioner.resetAdminPassword(created.id);
      const reset = await provisioner.resetAdminPassword(created.id);
      expect((await provisioner.credentials(created.id)).password).toBe(reset.password);

      // suspend (maintenance page, CronJob suspended, workloads to zero) and resume (page removed, check run again)
      await provisioner.suspend(created.id, 'rbac-test');
      await wait('Suspended');
      await provisioner.resume(created.id, 'rbac-test');
      await wait('Ready');

      // a backup (store Secrets, the escrow patched in the platform's namespace, scripts, policies, Job, pods) and a
      // restore (scale down and up, the restore Job, the store check's Job replaced), with the same token
      const repo = new BackupsRepo(db);
      const settled = async (id: string) => {
        for (let i = 0; i < 600; i++) {
          const b = repo.find(id);
          if (b?.status === 'Succeeded') return b;
          if (b?.status === 'Failed') throw new Error(`backup failed at ${b.errorStep ?? '?'}: ${b.errorReason ?? ''}`);
          await sleep(200);
        }
        throw new Error(`backup ${id} not done after 120s`);
      };
      const backup = await settled((await provisioner.backup(created.id, { actor: 'rbac-test' })).id);
      const restore = await provisioner.restore(created.id, backup.id, { actor: 'rbac-test' });
      await wait('Ready');
      expect(repo.findRestore(restore.id)).toMatchObject({ status: 'Succeeded' });

      // the delete takes a final backup first
      await provisioner.delete(created.id, 'rbac-test');
      await wait('Deleted');
      expect(repo.listByStore(created.id).map((b) => `${b.kind} ${b.status}`)).toContain('final Succeeded');
      const gone = await outcome(() => kubeConfig().makeApiClient(CoreV1Api).readNamespace({ name: `store-${name}` }));
      expect(gone.status).toBe(404);
    } finally {
      await provisioner.stop();
      await deleteNamespace(`store-${name}`);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to read Secrets in kube-system', async () => {
    const core = sa.makeApiClient(CoreV1Api);
    expect((await outcome(() => core.listNamespacedSecret({ namespace: 'kube-system' }))).status).toBe(403);
    expect((await outcome(() => core.readNamespacedSecret({ name: 'bootstrap-token-abcdef', namespace: 'kube-system' }))).status).toBe(403);
    expect((await outcome(() => core.listSecretForAllNamespaces())).status).toBe(403);
    // ...and the admin key of the platform itself
    expect((await outcome(() => core.readNamespacedSecret({ name: `${fullname}-admin-key`, namespace: platformNs }))).status).toBe(403);
    // ...and the escrow key: the account may patch the sealed passwords, never read what opens them
    expect((await outcome(() => core.readNamespacedSecret({ name: `${fullname}-backup-escrow-key`, namespace: platformNs }))).status).toBe(403);
    expect((await outcome(() => core.readNamespacedSecret({ name: `${fullname}-backup-keys`, namespace: platformNs }))).status).toBe('allowed');
  });

  it('fails to create ClusterRoles or bindings that would widen its rights', async () => {
    const rbac = sa.makeApiClient(RbacAuthorizationV1Api);
    const role = { metadata: { name: `lp-escalate-${randomBytes(3).toString('hex')}` }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] };
    expect((await outcome(() => rbac.createClusterRole({ body: role }))).status).toBe(403);
    const binding = {
      metadata: { name: role.metadata.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: fullname, namespace: platformNs }],
    };
    expect((await outcome(() => rbac.createClusterRoleBinding({ body: binding }))).status).toBe(403);
  });

  it('fails to write anywhere but a store namespace (admission policy)', async () => {
    const core = sa.makeApiClient(CoreV1Api);
    const objects = KubernetesObjectApi.makeApiClient(sa);
    const refused = async (what: string, fn: () => Promise<unknown>) => {
      const r = await outcome(fn);
      expect(r.status, `${what}: ${r.message}`).toBe(403);
      return r.message;
    };
    const secret = (namespace: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mysql-credentials', namespace }, stringData: { a: 'b' } }) as KubernetesObject;
    expect(await refused('Secret in kube-system', () => objects.create(secret('kube-system'), undefined, 'All'))).toMatch(/store namespaces/);
    expect(await refused('Secret in the platform namespace', () => objects.create(secret(platformNs), undefined, 'All'))).toMatch(/store namespaces/);
    expect(await refused('a namespace not named store-*', () => core.createNamespace({ body: { metadata: { name: 'not-a-store', labels: { [MANAGED_BY_LABEL]: 'store-platform' } } }, dryRun: 'All' }))).toMatch(/store-\*/);
    expect(await refused('a store-* namespace without the label', () => core.createNamespace({ body: { metadata: { name: 'store-unlabelled' } }, dryRun: 'All' }))).toMatch(/labelled/);
    expect(await refused('deleting the platform namespace', () => core.deleteNamespace({ name: platformNs, dryRun: 'All' }))).toMatch(/namespaces/);

    // a store namespace of its own is fine, but it cannot take the label off (and so out of the policy)
    const store = `store-lp-${randomBytes(3).toString('hex')}`;
    await core.createNamespace({ body: { metadata: { name: store, labels: { [MANAGED_BY_LABEL]: 'store-platform' } } } });
    try {
      await objects.create(secret(store));
      expect((await core.readNamespacedSecret({ name: 'mysql-credentials', namespace: store })).data?.a).toBeDefined();
      const unlabel = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: store, labels: { [MANAGED_BY_LABEL]: 'someone-else' } } };
      await refused('relabelling a store namespace', () => objects.patch(unlabel, undefined, 'All', undefined, undefined, PatchStrategy.MergePatch));
      await refused('a RoleBinding in a store namespace', () => sa.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
        namespace: store,
        body: { metadata: { name: 'x' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: store }] },
        dryRun: 'All',
      }));
    } finally {
      await deleteNamespace(store);
    }
  });

  it('renders the same rules helm installed', () => {
    const rendered = parseAllDocuments(helmOk(['template', release, chartDir, '-n', platformNs, '--kube-version', kubernetesVersion(), '-s', 'templates/clusterrole.yaml']))
      .map((d) => d.toJS() as V1ClusterRole)[0]!;
    expect(rendered.rules).toEqual(clusterRole.rules);
  });
});

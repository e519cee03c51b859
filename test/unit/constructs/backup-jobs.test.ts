import { describe, expect, it } from 'vitest';
import {
  BACKUP_LABEL, DEFAULT_PLATFORM_SETTINGS, engineOf, storeLabels, backupRepositorySecret, backupCredentialsSecret,
  type BackupTarget, type Engine, type KubeObject,
} from '../../../constructs/index.js';
import { podTemplates } from './fixtures.js';

// The backup and restore runs each engine synthesizes: what the Job may do, with which secrets, and
// which pods its policies let through.

const TARGET: BackupTarget = {
  endpoint: 'https://s3.backups.example.com',
  bucket: 'store-backups',
  region: 'eu-central-1',
  image: 'store-platform/backup:0.14.0-r1',
  egress: { cidrs: ['203.0.113.10/32'], port: 443 },
};
const options = (engine: Engine, over: Partial<BackupTarget> = {}) => ({
  spec: { name: 'acme', plan: engine === 'medusa' ? 'small' as const : 'standard' as const },
  platform: DEFAULT_PLATFORM_SETTINGS,
  target: { ...TARGET, ...over },
  backupId: 'b-20260101-0300',
});
const ENGINE_DB = { woocommerce: { component: 'mysql', port: 3306, secret: 'mysql-credentials' }, medusa: { component: 'postgres', port: 5432, secret: 'postgres-credentials' } } as const;

type Container = { name: string; image: string; command: string[]; env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> }; securityContext: Record<string, unknown>; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] };
const containerOf = (objects: KubeObject[]) => podTemplates(objects)[0]!.spec.containers[0] as unknown as Container;
const kinds = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe.each(['woocommerce', 'medusa'] as const)('%s backup and restore runs', (engine) => {
  const backup = engineOf(engine).backup.backupObjects('acme', options(engine));
  const restore = engineOf(engine).backup.restoreObjects('acme', options(engine));
  const db = ENGINE_DB[engine];

  it('synthesizes the expected objects (the scripts by name: their text is tested where they run)', () => {
    const scriptsNamed = (objects: KubeObject[]) => objects.map((o) => (o.kind === 'ConfigMap'
      ? { ...o, data: Object.fromEntries(Object.keys((o as unknown as { data: Record<string, string> }).data).map((k) => [k, '<script>'])) }
      : o));
    expect(scriptsNamed(backup)).toMatchSnapshot();
    expect(scriptsNamed(restore)).toMatchSnapshot();
  });

  it('holds the scripts, the two policies, then the Job, all in the store namespace with its labels', () => {
    expect(kinds(backup)).toEqual(['ConfigMap/backup-scripts', 'NetworkPolicy/backup', 'NetworkPolicy/backup-database', 'Job/backup-b-20260101-0300']);
    expect(kinds(restore)).toEqual(['ConfigMap/backup-scripts', 'NetworkPolicy/backup', 'NetworkPolicy/backup-database', 'Job/restore-b-20260101-0300']);
    for (const o of [...backup, ...restore]) {
      expect(o.metadata.namespace).toBe('store-acme');
      expect(o.metadata.labels).toMatchObject(storeLabels('acme'));
    }
    const scripts = Object.keys((backup[0] as unknown as { data: Record<string, string> }).data);
    expect(scripts).toEqual(expect.arrayContaining(['restic-lib.sh', 'backup.sh', 'restore.sh']));
  });

  it('runs the engine\'s script in the pinned image as non-root, read-only, with every capability dropped, within limits', () => {
    for (const [objects, action] of [[backup, 'backup'], [restore, 'restore']] as const) {
      const t = podTemplates(objects)[0]!;
      const c = containerOf(objects);
      expect(c.image).toBe(TARGET.image);
      expect(c.command).toEqual(['/bin/sh', `/scripts/${action}.sh`]);
      expect(t.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
        expect(c.resources.requests[r]).toBeDefined();
        expect(c.resources.limits[r]).toBeDefined();
      }
      expect((objects.at(-1)!.spec as { activeDeadlineSeconds: number }).activeDeadlineSeconds).toBe(3600);
      expect((t.spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(false);
      expect(t.labels[BACKUP_LABEL]).toBe('true');
      // not a general database client: only the backup policies admit it
      expect(t.labels['store-platform.io/db-client']).toBeUndefined();
    }
  });

  it('takes every secret from a Secret: the repository password, the S3 keys and the database\'s', () => {
    const env = containerOf(backup).env;
    const fromSecret = (name: string) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(fromSecret('RESTIC_PASSWORD')).toEqual({ name: 'backup-repository', key: 'password' });
    expect(fromSecret('AWS_ACCESS_KEY_ID')).toEqual({ name: 'backup-target', key: 'access-key-id' });
    expect(fromSecret('AWS_SECRET_ACCESS_KEY')).toEqual({ name: 'backup-target', key: 'secret-access-key' });
    expect(fromSecret(engine === 'medusa' ? 'PGPASSWORD' : 'DB_PASSWORD')).toEqual({ name: db.secret, key: 'password' });
    for (const e of env.filter((x) => /PASSWORD|SECRET|KEY_ID/.test(x.name))) expect(e.value).toBeUndefined();
    expect(env.find((e) => e.name === 'RESTIC_REPOSITORY')?.value).toBe('s3:https://s3.backups.example.com/store-backups/stores/acme');
    // no literal value anywhere in the run looks like a URL with credentials
    expect(JSON.stringify(backup)).not.toMatch(/:\/\/[^/"]+:[^/"]+@/);
  });

  it('reads another store\'s repository for a clone\'s restore, its password from the backup-source Secret, and never backs up into it', () => {
    const clone = containerOf(engineOf(engine).backup.restoreObjects('acme', { ...options(engine), source: 'old-shop' })).env;
    expect(clone.find((e) => e.name === 'RESTIC_REPOSITORY')?.value).toBe('s3:https://s3.backups.example.com/store-backups/stores/old-shop');
    expect(clone.find((e) => e.name === 'RESTIC_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'backup-source', key: 'password' });
    expect(clone.find((e) => e.name === 'SOURCE_STORE_ID')?.value).toBe('old-shop');
    expect(clone.find((e) => e.name === 'STORE_ID')?.value).toBe('acme');
    // a restore of the store's own backup has no source
    expect(containerOf(restore).env.find((e) => e.name === 'SOURCE_STORE_ID')).toBeUndefined();
    expect(() => engineOf(engine).backup.backupObjects('acme', { ...options(engine), source: 'old-shop' })).toThrow(/only a restore reads another store's repository/);
  });

  it('keeps the plan\'s retention', () => {
    const env = containerOf(backup).env;
    const value = (n: string) => env.find((e) => e.name === n)?.value;
    expect([value('KEEP_DAILY'), value('KEEP_WEEKLY')]).toEqual(engine === 'medusa' ? ['7', '4'] : ['14', '8']);
  });

  it('lets only the backup pods reach the database and the S3 endpoint', () => {
    const [, policy, dbPolicy] = backup as unknown as { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; egress?: { to: unknown[]; ports: { port: number }[] }[]; ingress?: { from: unknown[]; ports: { port: number }[] }[] } }[];
    expect(policy!.spec.podSelector.matchLabels).toEqual({ [BACKUP_LABEL]: 'true' });
    expect(policy!.spec.policyTypes).toEqual(['Egress']);
    expect(policy!.spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { 'store-platform.io/store-id': 'acme', 'app.kubernetes.io/name': db.component } } }], ports: [{ protocol: 'TCP', port: db.port }] },
      { to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(dbPolicy!.spec.podSelector.matchLabels).toEqual({ 'store-platform.io/store-id': 'acme', 'app.kubernetes.io/name': db.component });
    expect(dbPolicy!.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { [BACKUP_LABEL]: 'true' } } }], ports: [{ protocol: 'TCP', port: db.port }] }]);
  });

  it('reaches an in-cluster S3 server by namespace and pod labels', () => {
    const objects = engineOf(engine).backup.backupObjects('acme', options(engine, { endpoint: 'http://minio.storage:9000', egress: { namespace: 'storage', podLabels: { app: 'minio' }, port: 9000 } }));
    const policy = objects[1] as unknown as { spec: { egress: { to: unknown[] }[] } };
    expect(policy.spec.egress[1]!.to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } }, podSelector: { matchLabels: { app: 'minio' } } }]);
  });

  it('fails on a bad backup id, an unpinned image, an endpoint with credentials or a path, a slug that is not the spec\'s', () => {
    const b = engineOf(engine).backup;
    expect(() => b.backupObjects('acme', { ...options(engine), backupId: 'Bad_Id' })).toThrow(/backup id must be/);
    expect(() => b.backupObjects('acme', options(engine, { image: 'store-platform/backup' }))).toThrow(/pinned/);
    expect(() => b.backupObjects('acme', options(engine, { endpoint: 'https://key:secret@s3.example.com' }))).toThrow(/without path, query or credentials/);
    expect(() => b.backupObjects('acme', options(engine, { endpoint: 'https://s3.example.com/bucket' }))).toThrow(/without path/);
    expect(() => b.restoreObjects('other', options(engine))).toThrow(/does not match spec name/);
    expect(() => b.backupObjects('acme', options(engine, { egress: { cidrs: [], port: 443 } }))).toThrow(/at least one CIDR/);
  });
});

describe('the WooCommerce runs and the wp-content volume', () => {
  it('mount it read-only beside WordPress to back up, writable without WordPress to restore', () => {
    const b = engineOf('woocommerce').backup;
    const backup = b.backupObjects('acme', options('woocommerce'));
    const restore = b.restoreObjects('acme', options('woocommerce'));
    expect(containerOf(backup).volumeMounts).toContainEqual({ name: 'wp-content', mountPath: '/var/www/html/wp-content', readOnly: true });
    expect(containerOf(restore).volumeMounts).toContainEqual({ name: 'wp-content', mountPath: '/var/www/html/wp-content', readOnly: false });
    const affinity = (objects: KubeObject[]) => (podTemplates(objects)[0]!.spec as { affinity?: unknown }).affinity;
    expect(affinity(backup)).toBeDefined();
    expect(affinity(restore)).toBeUndefined();
  });
});

describe('backup Secrets', () => {
  it('carry their values only as Secret data in the store namespace', () => {
    const repo = backupRepositorySecret('acme', 'r'.repeat(32));
    expect(repo).toMatchObject({ kind: 'Secret', metadata: { name: 'backup-repository', namespace: 'store-acme' }, stringData: { password: 'r'.repeat(32) } });
    const creds = backupCredentialsSecret('acme', { accessKeyId: 'AKIA-TEST', secretAccessKey: 's3-secret' });
    expect(creds).toMatchObject({ kind: 'Secret', metadata: { name: 'backup-target' }, stringData: { 'access-key-id': 'AKIA-TEST', 'secret-access-key': 's3-secret' } });
    expect(() => backupRepositorySecret('acme', 'short')).toThrow(/at least 24/);
  });
});

describe('backup run result and addressing', () => {
  it('asks for the result in the termination log and names the bucket addressing only when set', async () => {
    const { engineOf } = await import('../../../constructs/index.js');
    const { DEFAULT_PLATFORM_SETTINGS } = await import('../../../constructs/index.js');
    const target = { endpoint: 'http://10.0.0.9:9000', bucket: 'b-1', region: 'us-east-1', image: 'backup:1', egress: { cidrs: ['10.0.0.9/32'], port: 9000 } };
    const envOf = (t: typeof target & { bucketLookup?: 'path' | 'dns' }) => {
      const objs = engineOf('woocommerce').backup.backupObjects('acme', { spec: { name: 'acme', plan: 'small' }, platform: DEFAULT_PLATFORM_SETTINGS, target: t, backupId: 'b1' });
      const job = objs.find((o) => o.kind === 'Job') as unknown as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[]; terminationMessagePolicy: string }[] } } } };
      const c = job.spec.template.spec.containers[0]!;
      return { env: Object.fromEntries(c.env.map((e) => [e.name, e.value])), policy: c.terminationMessagePolicy };
    };
    expect(envOf(target)).toMatchObject({ env: { RESULT_FILE: '/dev/termination-log' }, policy: 'FallbackToLogsOnError' });
    expect(envOf(target).env).not.toHaveProperty('S3_BUCKET_LOOKUP');
    expect(envOf({ ...target, bucketLookup: 'path' }).env.S3_BUCKET_LOOKUP).toBe('path');
    expect(engineOf('woocommerce').backup.appComponents).toEqual(['wordpress']);
    expect(engineOf('medusa').backup.appComponents).toEqual(['medusa', 'worker']);
  });
});

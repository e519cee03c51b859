import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import { componentLabels, componentSelector, storeLabels } from '../labels.js';
import { namespaceFor } from '../names.js';
import { nsSelector, tcp } from '../network-policies.js';
import type { ContainerResources, Plan } from '../plans.js';
import { containerSecurityContext, env, resources, runOnceJobSpec, secretEnv } from '../pods.js';
import type { KubeObject } from '../readiness.js';
import type { PlatformSettings } from '../spec.js';
import { resticLib } from './scripts/embedded.js';
import { assertBackupId, assertTarget, BACKUP_LABEL, BACKUP_NAMES, BACKUP_SECRET_KEYS, repositoryUrl, RETENTION, type BackupTarget } from './target.js';

/** What a run does. */
export type BackupAction = 'backup' | 'restore';

/** Options of an engine's backup and restore runs. */
export interface BackupRunOptions {
  /** The store's slug and plan (the plan picks the retention and the pod's size). */
  readonly spec: { readonly name: string; readonly plan: Plan };
  readonly platform: PlatformSettings;
  readonly target: BackupTarget;
  /** The backup to take or restore; names the Job (`backup-<id>`, `restore-<id>`). */
  readonly backupId: string;
  /**
   * A restore only: the slug of the store whose repository holds the backup, when it is another store's
   * (a clone); its password comes from the `backup-source` Secret. @default - the store's own repository
   */
  readonly source?: string;
}

/** What an engine puts into its backup and restore pods. */
export interface EngineBackupPod {
  /** The engine's scripts by file name; `backup.sh` and `restore.sh` are run, `restic-lib.sh` is added. */
  readonly scripts: Readonly<Record<string, string>>;
  /** The database's pods (their `app.kubernetes.io/name`) and port: the one workload backup pods reach. */
  readonly database: { readonly component: string; readonly port: number };
  /** The engine's environment: database coordinates and credentials from the store's Secrets. */
  readonly env: readonly k8s.EnvVar[];
  /** uid and gid of the pod (the owner of the store's files). */
  readonly runAs: { readonly uid: number; readonly gid: number };
  readonly size: ContainerResources;
  /** The store's volumes the pod mounts, with their mounts. @default - none */
  readonly volumes?: readonly { readonly volume: k8s.Volume; readonly mount: k8s.VolumeMount }[];
  /** Placement, e.g. beside the pod that holds a ReadWriteOnce volume. @default - none */
  readonly affinity?: k8s.Affinity;
}

/** Seconds a backup or restore Job may run; the scripts stop two minutes earlier with their own message. */
export const BACKUP_JOB_DEADLINE_SECONDS = 3600;

/** Resolves constructs to JSON in a throwaway App (nothing is written). */
function objectsOf(build: (scope: Construct) => void): KubeObject[] {
  const chart = new Chart(new App({ outdir: 'dist' }), 'Backup', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson() as KubeObject[];
}

/** The backup pods' NetworkPolicies: to the database and the S3 endpoint only; the database admits them. */
function policies(scope: Construct, slug: string, pod: EngineBackupPod, target: BackupTarget): void {
  const metadata = (name: string) => ({ name, namespace: namespaceFor(slug), labels: storeLabels(slug) });
  const backupPods: k8s.LabelSelector = { matchLabels: { [BACKUP_LABEL]: 'true' } };
  const database: k8s.LabelSelector = { matchLabels: componentSelector(slug, pod.database.component) };
  const s3 = target.egress;
  const s3Peers: k8s.NetworkPolicyPeer[] = 'cidrs' in s3
    ? s3.cidrs.map((cidr) => ({ ipBlock: { cidr } }))
    : [{ namespaceSelector: nsSelector(s3.namespace), podSelector: { matchLabels: { ...s3.podLabels } } }];
  new k8s.KubeNetworkPolicy(scope, 'Policy', {
    metadata: metadata(BACKUP_NAMES.policy),
    spec: {
      podSelector: backupPods,
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: database }], ports: [tcp(pod.database.port)] },
        { to: s3Peers, ports: [tcp(s3.port)] },
      ],
    },
  });
  new k8s.KubeNetworkPolicy(scope, 'DatabasePolicy', {
    metadata: metadata(BACKUP_NAMES.policyDatabase),
    spec: { podSelector: database, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: backupPods }], ports: [tcp(pod.database.port)] }] },
  });
}

/**
 * One backup or restore run of a store, in apply order: the scripts' ConfigMap, the backup pods'
 * NetworkPolicies, then the Job. The Job runs the engine's `backup.sh` or `restore.sh` in the backup
 * image as non-root on a read-only root filesystem; every secret reaches it from a Secret (the
 * repository password from `backup-repository`, the S3 keys from `backup-target`, the database's from
 * the engine's own). Pure.
 */
export function backupRunObjects(slug: string, action: BackupAction, options: BackupRunOptions, pod: EngineBackupPod): KubeObject[] {
  if (options.spec.name !== slug) throw new Error(`${action} job slug '${slug}' does not match spec name '${options.spec.name}'`);
  const id = assertBackupId(options.backupId);
  const target = assertTarget(options.target);
  const name = `${action === 'backup' ? BACKUP_NAMES.backupJobPrefix : BACKUP_NAMES.restoreJobPrefix}${id}`;
  const retention = RETENTION[options.spec.plan];
  const labels = { ...componentLabels(slug, BACKUP_NAMES.component, action), [BACKUP_LABEL]: 'true' };
  const volumes = pod.volumes ?? [];
  if (options.source !== undefined && action !== 'restore') throw new Error('only a restore reads another store\'s repository');
  const repository = options.source ?? slug;
  return objectsOf((scope) => {
    new k8s.KubeConfigMap(scope, 'Scripts', {
      metadata: { name: BACKUP_NAMES.scriptsConfig, namespace: namespaceFor(slug), labels: storeLabels(slug) },
      data: { 'restic-lib.sh': resticLib, ...pod.scripts },
    });
    policies(scope, slug, pod, target);
    new k8s.KubeJob(scope, 'Resource', {
      metadata: { name, namespace: namespaceFor(slug), labels },
      spec: runOnceJobSpec({
        labels,
        // a failed backup discards its parts, so a retry starts clean; a restore verifies before it writes
        backoffLimit: action === 'backup' ? 2 : 1,
        activeDeadlineSeconds: BACKUP_JOB_DEADLINE_SECONDS,
        runAs: pod.runAs,
        ...(options.platform.nodePool ? { nodePool: options.platform.nodePool } : {}),
        pod: {
          ...(pod.affinity ? { affinity: pod.affinity } : {}),
          containers: [{
            name: action,
            image: target.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/sh', `/scripts/${action}.sh`],
            env: [
              env('STORE_ID', slug),
              env('BACKUP_ID', id),
              env('BACKUP_PLAN', options.spec.plan),
              // what the store was, for the manifest (a restore by hand reads it there)
              ...(action === 'backup' ? [env('STORE_SPEC', JSON.stringify(options.spec))] : []),
              env('KEEP_DAILY', String(retention.keepDaily)),
              env('KEEP_WEEKLY', String(retention.keepWeekly)),
              env('BACKUP_DEADLINE_SECONDS', String(BACKUP_JOB_DEADLINE_SECONDS - 120)),
              env('RESTIC_REPOSITORY', repositoryUrl(target, repository)),
              secretEnv('RESTIC_PASSWORD', repository === slug ? BACKUP_NAMES.repositorySecret : BACKUP_NAMES.sourceSecret, BACKUP_SECRET_KEYS.password),
              ...(repository === slug ? [] : [env('SOURCE_STORE_ID', repository)]),
              secretEnv('AWS_ACCESS_KEY_ID', BACKUP_NAMES.credentialsSecret, BACKUP_SECRET_KEYS.accessKeyId),
              secretEnv('AWS_SECRET_ACCESS_KEY', BACKUP_NAMES.credentialsSecret, BACKUP_SECRET_KEYS.secretAccessKey),
              env('AWS_DEFAULT_REGION', target.region),
              env('HOME', '/tmp'),
              env('TMPDIR', '/tmp'),
              env('RESTIC_CACHE_DIR', '/tmp/restic-cache'),
              // the run's result (sizes, duration) as one JSON line, read back from the pod's status
              env('RESULT_FILE', '/dev/termination-log'),
              ...(target.bucketLookup ? [env('S3_BUCKET_LOOKUP', target.bucketLookup)] : []),
              ...pod.env,
            ],
            resources: resources(pod.size),
            // a failed run leaves no result: its last log lines (the script's `FAILED:` line) are the message
            terminationMessagePolicy: 'FallbackToLogsOnError',
            securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
            volumeMounts: [
              { name: 'scripts', mountPath: '/scripts', readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
              ...volumes.map((v) => v.mount),
            ],
          }],
          volumes: [
            { name: 'scripts', configMap: { name: BACKUP_NAMES.scriptsConfig, defaultMode: 0o555 } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
            ...volumes.map((v) => v.volume),
          ],
        },
      }),
    });
  });
}

/** The store's repository password Secret (the caller draws the password). Pure. */
export function backupRepositorySecret(slug: string, password: string): KubeObject {
  if (password.length < 24) throw new Error('backup repository password must be at least 24 characters');
  return objectsOf((scope) => {
    new k8s.KubeSecret(scope, 'Resource', {
      metadata: { name: BACKUP_NAMES.repositorySecret, namespace: namespaceFor(slug), labels: storeLabels(slug) },
      stringData: { [BACKUP_SECRET_KEYS.password]: password },
    });
  })[0]!;
}

/** The `backup-source` Secret: the repository password of the store a clone is made from. Pure. */
export function backupSourceSecret(slug: string, password: string): KubeObject {
  return objectsOf((scope) => {
    new k8s.KubeSecret(scope, 'Resource', {
      metadata: { name: BACKUP_NAMES.sourceSecret, namespace: namespaceFor(slug), labels: storeLabels(slug) },
      stringData: { [BACKUP_SECRET_KEYS.password]: password },
    });
  })[0]!;
}

/** The platform's S3 credentials as a Secret in the store's namespace, for its backup Jobs. Pure. */
export function backupCredentialsSecret(slug: string, credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }): KubeObject {
  if (!credentials.accessKeyId || !credentials.secretAccessKey) throw new Error('backup credentials need an access key id and a secret access key');
  return objectsOf((scope) => {
    new k8s.KubeSecret(scope, 'Resource', {
      metadata: { name: BACKUP_NAMES.credentialsSecret, namespace: namespaceFor(slug), labels: storeLabels(slug) },
      stringData: { [BACKUP_SECRET_KEYS.accessKeyId]: credentials.accessKeyId, [BACKUP_SECRET_KEYS.secretAccessKey]: credentials.secretAccessKey },
    });
  })[0]!;
}

/** An engine's backup seam: its backup and restore runs, each in apply order (the Job last). */
export interface EngineBackup {
  readonly backupObjects: (slug: string, options: BackupRunOptions) => KubeObject[];
  readonly restoreObjects: (slug: string, options: BackupRunOptions) => KubeObject[];
  /**
   * The components (keys of the engine's `components`) scaled to zero while a restore runs: every
   * workload that writes the database or the files, never the database itself.
   */
  readonly appComponents: readonly string[];
}

/** The backup seam of an engine from what it puts into the pod and what a restore stops. Pure. */
export function engineBackup(
  pod: (slug: string, options: BackupRunOptions, action: BackupAction) => EngineBackupPod, appComponents: readonly string[],
): EngineBackup {
  if (appComponents.length === 0) throw new Error('an engine backup needs at least one app component to stop during a restore');
  return {
    backupObjects: (slug, options) => backupRunObjects(slug, 'backup', options, pod(slug, options, 'backup')),
    restoreObjects: (slug, options) => backupRunObjects(slug, 'restore', options, pod(slug, options, 'restore')),
    appComponents,
  };
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { CLUSTER_TOOLING_DIR } from './paths.js';

/**
 * kwok's own stages (shipped in its module, copied next to the binary by build.sh) that give the
 * simulated cluster its behaviour: nodes become Ready, pods Running and Ready, Job pods Succeeded,
 * deleted pods go away, and PVCs of the default class get a bound PV.
 */
const KWOK_STAGES = [
  'node/fast/node-initialize',
  'node/heartbeat-with-lease/node-heartbeat-with-lease',
  'pod/fast/pod-ready',
  'pod/fast/pod-complete',
  'pod/fast/pod-delete',
  'volume/fast/pvc-provision',
  'volume/fast/pv-bind',
  'volume/fast/pvc-delete',
  'volume/fast/pv-delete',
] as const;

/** Images under this registry never start (see stages/pod-image-unavailable.yaml). */
export const UNAVAILABLE_IMAGE_REGISTRY = 'unavailable.invalid/';

/**
 * Images whose reference does not parse (an upper-case letter in the repository name) report
 * InvalidImageName (see stages/pod-image-invalid.yaml); the same CEL test as that stage.
 */
export const INVALID_IMAGE_NAME_CEL = "c.image.matches('^[^:@]*[A-Z]')";

/** The label of backup and restore pods (constructs/backup/target.ts), whose completion stages/pod-backup-*.yaml simulate. */
const BACKUP_POD_LABEL = 'store-platform.io/backup';

/** Store names whose backup pods fail as an unreachable S3 endpoint makes them (stages/pod-backup-fail.yaml). */
export const SIMULATED_BACKUP_FAILURE_PREFIX = 'kwok-backup-fails-';
/** Store names whose restore pods refuse the backup as a damaged one (stages/pod-backup-fail.yaml). */
export const SIMULATED_RESTORE_REFUSAL_PREFIX = 'kwok-restore-refused-';
/** Store names whose backup pods take SIMULATED_SLOW_BACKUP_SECONDS to succeed, so a test can act while one runs. */
export const SIMULATED_SLOW_BACKUP_PREFIX = 'kwok-backup-slow-';
export const SIMULATED_SLOW_BACKUP_SECONDS = 20;

type Doc = Record<string, any>;

/** The kwok configuration: stages plus the fake container log every pod serves. */
export function kwokConfig(stageDir: string, containerLogFile: string): string {
  // kwok applies its option defaults only when it has no configuration document, so name them
  const options = {
    enableDebuggingHandlers: true, // serves pod logs to kube-apiserver
    podPlayStageParallelism: 8,
    nodePlayStageParallelism: 4,
    nodeLeaseParallelism: 4,
    podsOnNodeSyncParallelism: 2,
  };
  const docs: Doc[] = [{ apiVersion: 'config.kwok.x-k8s.io/v1alpha1', kind: 'KwokConfiguration', options }];
  for (const stage of KWOK_STAGES) docs.push(...readDocs(join(stageDir, `${stage}.yaml`)));
  const own = join(CLUSTER_TOOLING_DIR, 'stages');
  for (const file of readdirSync(own).filter((f) => f.endsWith('.yaml')).sort()) docs.push(...readDocs(join(own, file)));
  // backup and restore pods complete (or fail) through this repository's backup stages, with the scripts' result
  const podComplete = docs.find((d) => d.kind === 'Stage' && d.metadata?.name === 'pod-complete');
  if (!podComplete) throw new Error(`kwok stage pod-complete not found in ${stageDir}`);
  podComplete.spec.selector.matchExpressions.push({ cel: { expression: `!(has(self.metadata.labels) && '${BACKUP_POD_LABEL}' in self.metadata.labels)` } });
  // the slow backups: pod-backup-complete's outcome, later
  const backupComplete = docs.find((d) => d.kind === 'Stage' && d.metadata?.name === 'pod-backup-complete');
  if (!backupComplete) throw new Error(`stage pod-backup-complete not found in ${own}`);
  const slowBackup = `'app.kubernetes.io/component' in self.metadata.labels && 'store-platform.io/store-id' in self.metadata.labels && self.metadata.labels['app.kubernetes.io/component'] == 'backup' && self.metadata.labels['store-platform.io/store-id'].startsWith('${SIMULATED_SLOW_BACKUP_PREFIX}')`;
  const slow = structuredClone(backupComplete);
  slow.metadata.name = 'pod-backup-slow';
  slow.spec.delay = { durationMilliseconds: SIMULATED_SLOW_BACKUP_SECONDS * 1000 };
  slow.spec.selector.matchExpressions.push({ cel: { expression: slowBackup } });
  backupComplete.spec.selector.matchExpressions.push({ cel: { expression: `!(${slowBackup})` } });
  docs.push(slow);
  const podReady = docs.find((d) => d.kind === 'Stage' && d.metadata?.name === 'pod-ready');
  if (!podReady) throw new Error(`kwok stage pod-ready not found in ${stageDir}`);
  // pods of the never-starting images get their status from this repository's own stages only
  podReady.spec.selector.matchExpressions.push(
    { cel: { expression: `!self.spec.containers.exists(c, c.image.startsWith('${UNAVAILABLE_IMAGE_REGISTRY}'))` } },
    { cel: { expression: `!self.spec.containers.exists(c, ${INVALID_IMAGE_NAME_CEL})` } },
  );
  docs.push({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'all-pods' },
    spec: { selector: {}, logs: [{ containers: [], logsFile: containerLogFile, follow: false }] },
  });
  return docs.map((d) => stringify(d)).join('---\n');
}

/** What every simulated container "printed", in the CRI log format the kubelet serves. */
export function fakeContainerLog(now: Date): string {
  const at = (offsetMs: number): string => new Date(now.getTime() + offsetMs).toISOString();
  return [
    `${at(0)} stdout F [simulated] container started by kwok: no process runs in the simulated cluster`,
    `${at(1)} stdout F [simulated] readiness probes are not executed; the pod is reported Ready`,
    `${at(2)} stderr F [simulated] use a real cluster (kind, k3d) to see the application's own logs`,
  ].join('\n') + '\n';
}

function readDocs(file: string): Doc[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as Doc).filter(Boolean);
}

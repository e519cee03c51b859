import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { MedusaContext } from './context.js';
import { componentLabels, componentSelector } from '../labels.js';
import { MEDUSA_NAMES, MEDUSA_PORTS, POSTGRES_UID } from './names.js';
import { allowPostgres } from './policies.js';
import { gibibytes } from '../plans.js';
import { assertPinned, containerSecurityContext, nodePoolPlacement, podSecurityContext, resources, secretEnv } from '../pods.js';
import { DB_KEYS } from './secrets.js';
import { StoreStep } from '../step.js';

/** Where the volume is mounted, and the data directory inside it (a fresh filesystem's lost+found stays outside). */
export const POSTGRES_VOLUME_PATH = '/var/lib/postgresql/data';
export const POSTGRES_DATA_DIR = `${POSTGRES_VOLUME_PATH}/pgdata`;

/** Props of {@link Postgres}. */
export interface PostgresProps {
  readonly context: MedusaContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 5: PostgreSQL as a one-replica StatefulSet with a volumeClaimTemplate and its headless
 * Service. The official image runs as its own `postgres` user (999) when the data directory is
 * writable by it (`fsGroup`); its root filesystem stays writable for the socket directory under
 * /var/run/postgresql. Ready when the StatefulSet has its ready replica.
 */
export class Postgres extends StoreStep {
  public constructor(scope: Construct, id: string, props: PostgresProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'postgres',
      title: 'PostgreSQL database',
      readiness: { kind: 'StatefulSetReady', namespace: ctx.namespace, name: MEDUSA_NAMES.postgres },
      timeoutSeconds: 600,
    });
    allowPostgres(props.policies, ctx);
    const image = assertPinned(ctx.platform.images.postgres, 'postgres');
    const labels = componentLabels(ctx.slug, MEDUSA_NAMES.postgres, 'database');
    const selector = componentSelector(ctx.slug, MEDUSA_NAMES.postgres);
    const port = k8s.IntOrString.fromString('postgres');

    new k8s.KubeService(this, 'Service', {
      metadata: { name: MEDUSA_NAMES.postgres, namespace: ctx.namespace, labels },
      spec: { clusterIp: 'None', selector, ports: [{ name: 'postgres', port: MEDUSA_PORTS.postgres, targetPort: port }] },
    });
    // pg_isready needs no password; -U names the user so the server logs no "role root" errors
    const ready = ['sh', '-c', 'pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'];
    new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: MEDUSA_NAMES.postgres, namespace: ctx.namespace, labels },
      spec: {
        serviceName: MEDUSA_NAMES.postgres,
        replicas: 1,
        selector: { matchLabels: selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(POSTGRES_UID, POSTGRES_UID),
            ...nodePoolPlacement(ctx.platform.nodePool),
            terminationGracePeriodSeconds: 60,
            containers: [{
              name: 'postgres',
              image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'postgres', containerPort: MEDUSA_PORTS.postgres, protocol: 'TCP' }],
              env: [
                secretEnv('POSTGRES_USER', MEDUSA_NAMES.dbSecret, DB_KEYS.username),
                secretEnv('POSTGRES_PASSWORD', MEDUSA_NAMES.dbSecret, DB_KEYS.password),
                secretEnv('POSTGRES_DB', MEDUSA_NAMES.dbSecret, DB_KEYS.database),
                { name: 'PGDATA', value: POSTGRES_DATA_DIR },
              ],
              resources: resources(ctx.sizing.postgres),
              securityContext: containerSecurityContext({ readOnlyRootFilesystem: false }),
              volumeMounts: [{ name: 'data', mountPath: POSTGRES_VOLUME_PATH }],
              startupProbe: { exec: { command: ready }, periodSeconds: 5, failureThreshold: 60 },
              livenessProbe: { exec: { command: ready }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
              readinessProbe: { exec: { command: ready }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
            }],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(ctx.platform.storageClassName ? { storageClassName: ctx.platform.storageClassName } : {}),
            resources: { requests: { storage: k8s.Quantity.fromString(gibibytes(ctx.sizing.postgresGiB)) } },
          },
        }],
      },
    });
  }
}

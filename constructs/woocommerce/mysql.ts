import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels, componentSelector } from '../labels.js';
import { OBJECT_NAMES } from './names.js';
import { allowMySql, PORTS } from './policies.js';
import { gibibytes } from '../plans.js';
import { assertPinned, containerSecurityContext, env, nodePoolPlacement, podSecurityContext, resources, secretEnv } from '../pods.js';
import { DB_SECRET_KEYS, WORDPRESS_DB } from './secrets.js';
import { StoreStep } from '../step.js';
import { DATABASE_CONF_PATH, databaseCnf } from './tuning.js';
import { DATABASE_IMAGES, DEFAULT_DATABASE_ENGINE, type DatabaseEngine } from '../images.js';
import type { PlatformSettings } from '../spec.js';

/** Key of the server settings in the `mysql-config` ConfigMap. */
const DATABASE_CONF_FILE = DATABASE_CONF_PATH.slice(DATABASE_CONF_PATH.lastIndexOf('/') + 1);

/** uid/gid of the `mysql` user in the official MariaDB and MySQL images. */
export const MYSQL_UID = 999;
/** Where the volume is mounted, and the data directory inside it. */
export const MYSQL_VOLUME_PATH = '/var/lib/mysql';
export const MYSQL_DATA_DIR = `${MYSQL_VOLUME_PATH}/data`;
/** The socket and pid file's directory in both official images (and Debian's packages). */
export const MYSQL_RUN_DIR = '/var/run/mysqld';

/**
 * A probe that signs in as root with the password from the store's Secret (the container's
 * MYSQL_ROOT_PASSWORD) through an option file on a pipe: the password is on no command line (printf is
 * the shell's own) and in no environment variable the client reads (MYSQL_PWD is deprecated). `ping`
 * runs the admin client's ping, anything else is SQL for the client; each picks MariaDB's client name
 * when the image has it (MariaDB 11 images ship no `mysql` names), else MySQL's.
 */
export function databaseProbe(what: 'ping' | string): string[] {
  const client = what === 'ping' ? '"$(command -v mariadb-admin || command -v mysqladmin)"' : '"$(command -v mariadb || command -v mysql)"';
  const run = what === 'ping' ? 'ping --silent' : `-e "${what}"`;
  return ['sh', '-c',
    `printf '[client]\\nuser=root\\npassword=%s\\n' "$MYSQL_ROOT_PASSWORD" | ${client} --defaults-extra-file=/dev/stdin --protocol=TCP -h 127.0.0.1 ${run}`];
}

/** The family a new store gets: the platform's. */
export function newStoreDatabaseServer(platform: Pick<PlatformSettings, 'databaseEngine'>): DatabaseEngine {
  return platform.databaseEngine ?? DEFAULT_DATABASE_ENGINE;
}

/** Props of {@link MySql}. */
export interface MySqlProps {
  readonly context: StoreContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 5: the database, MariaDB by default or MySQL (the `mysql` image setting, images.ts), as a
 * one-replica StatefulSet with a volumeClaimTemplate and its headless Service. Both official images take
 * the same `MYSQL_*` variables, arguments, conf.d file and probes; object names stay `mysql` for either.
 *
 * Non-root: the official images document running under `--user` when the data directory is
 * writable by that user; we run as its own `mysql` user (999) and `fsGroup: 999` makes the volume
 * writable. The root filesystem is read-only: the entrypoint's socket and pid file go to an emptyDir
 * on /var/run/mysqld, temporary files and on-disk temporary tables to one on /tmp. The server's sizing
 * (buffer pool, temporary tables, connections, binary logs off) comes from the plan as one file in the
 * image's conf.d (`mysql-config`, tuning.ts). Ready when the StatefulSet has its ready replica.
 */
export class MySql extends StoreStep {
  /** DNS name WordPress connects to (the headless Service, same namespace). */
  public readonly host: string;

  public constructor(scope: Construct, id: string, props: MySqlProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'mysql',
      title: 'Database',
      readiness: { kind: 'StatefulSetReady', namespace: ctx.namespace, name: OBJECT_NAMES.mysql },
      timeoutSeconds: 600,
    });
    allowMySql(props.policies, ctx);
    // the platform's image is its family's; a store of the other family keeps that family's pinned image
    const image = assertPinned(
      ctx.databaseServer === newStoreDatabaseServer(ctx.platform) ? ctx.platform.images.mysql : DATABASE_IMAGES[ctx.databaseServer], 'mysql');
    const labels = componentLabels(ctx.slug, OBJECT_NAMES.mysql, 'database');
    const selector = componentSelector(ctx.slug, OBJECT_NAMES.mysql);
    this.host = OBJECT_NAMES.mysql;

    const config = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: OBJECT_NAMES.mysqlConfig, namespace: ctx.namespace, labels },
      data: { [DATABASE_CONF_FILE]: databaseCnf(ctx.plan) },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: OBJECT_NAMES.mysql, namespace: ctx.namespace, labels },
      spec: {
        clusterIp: 'None',
        selector,
        ports: [{ name: 'mysql', port: PORTS.mysql, targetPort: k8s.IntOrString.fromString('mysql') }],
      },
    });

    const sqlPing = databaseProbe('SELECT 1');
    const alive = databaseProbe('ping');
    new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: OBJECT_NAMES.mysql, namespace: ctx.namespace, labels },
      spec: {
        serviceName: OBJECT_NAMES.mysql,
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
            securityContext: podSecurityContext(MYSQL_UID, MYSQL_UID),
            ...nodePoolPlacement(ctx.platform.nodePool),
            terminationGracePeriodSeconds: 60,
            containers: [
              {
                name: 'mysql',
                image,
                imagePullPolicy: 'IfNotPresent',
                // data in a subdirectory: a fresh filesystem's lost+found in the volume root would
                // make `mysqld --initialize` refuse a "non-empty" data directory. No DNS lookups for
                // clients: grants are by user, not host name.
                args: [`--datadir=${MYSQL_DATA_DIR}`, '--skip-name-resolve'],
                ports: [{ name: 'mysql', containerPort: PORTS.mysql, protocol: 'TCP' }],
                env: [
                  secretEnv('MYSQL_ROOT_PASSWORD', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.rootPassword),
                  env('MYSQL_DATABASE', WORDPRESS_DB.database),
                  secretEnv('MYSQL_USER', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.username),
                  secretEnv('MYSQL_PASSWORD', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.password),
                  // MariaDB: after an image bump, upgrade the system tables at start (MySQL upgrades by itself, ignores it)
                  env('MARIADB_AUTO_UPGRADE', '1'),
                ],
                resources: resources(ctx.plan.components.mysql),
                securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
                volumeMounts: [
                  { name: 'data', mountPath: MYSQL_VOLUME_PATH },
                  { name: 'run', mountPath: MYSQL_RUN_DIR },
                  { name: 'tmp', mountPath: '/tmp' },
                  // one file beside the image's own in its conf.d (a directory mount would hide them)
                  { name: 'config', mountPath: DATABASE_CONF_PATH, subPath: DATABASE_CONF_FILE, readOnly: true },
                ],
                // first start initialises the data directory with networking off: allow 5 minutes
                startupProbe: { tcpSocket: { port: k8s.IntOrString.fromString('mysql') }, periodSeconds: 5, failureThreshold: 60 },
                livenessProbe: {
                  exec: { command: alive },
                  periodSeconds: 10,
                  timeoutSeconds: 5,
                  failureThreshold: 6,
                },
                readinessProbe: { exec: { command: sqlPing }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: config.name } },
              { name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
              // temporary tables past the plan's in-memory size, and the sort files of large queries
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('512Mi') } },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(ctx.platform.storageClassName ? { storageClassName: ctx.platform.storageClassName } : {}),
              resources: { requests: { storage: k8s.Quantity.fromString(gibibytes(ctx.plan.storage.mysqlGiB)) } },
            },
          },
        ],
      },
    });
  }
}

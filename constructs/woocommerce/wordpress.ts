import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels, componentSelector, DB_CLIENT_LABEL } from '../labels.js';
import { OBJECT_NAMES } from './names.js';
import { allowWordPress, PORTS } from './policies.js';
import { gibibytes } from '../plans.js';
import { assertPinned, containerSecurityContext, env, nodePoolPlacement, podSecurityContext, resources, secretEnv } from '../pods.js';
import { DB_SECRET_KEYS, WORDPRESS_DB } from './secrets.js';
import { SALT_CONSTANTS } from '../spec.js';
import { StoreStep } from '../step.js';
import { addWpCron } from './wp-cron.js';
import { mailEnv, MU_PLUGIN_FILE } from './mail.js';
import { muPlugin } from './scripts/embedded.js';
import { apacheMpmConf, PHP_INI_DIR, PHP_INI_FILE, PHP_INI_SCAN_DIR, phpIni } from './tuning.js';

/** The prefork sizing's file in /etc/apache2/conf-enabled (read after the image's mods-enabled, so it wins). */
export const APACHE_MPM_FILE = 'zz-store-platform-mpm.conf';

/** uid/gid of `www-data` in the Debian-based official WordPress image. */
export const WWW_DATA_UID = 33;
/** Document root of the official images; WordPress core is copied here at start-up. */
export const DOCROOT = '/var/www/html';
/** The image's APACHE_RUN_DIR and APACHE_LOCK_DIR (Debian's apache2 envvars): the pid file, the mutexes. */
export const APACHE_RUN_DIR = '/var/run/apache2';
export const APACHE_LOCK_DIR = '/var/lock/apache2';
/** Seconds Apache gets to finish its requests in flight when the pod stops (a checkout, an upload). */
export const APACHE_GRACEFUL_STOP_SECONDS = 25;
/** Port of the WordPress Service (the ingress backend); it forwards to the container's 8080. */
export const WORDPRESS_SERVICE_PORT = 80;

/**
 * Apache listening on 8080 instead of 80. The official image (Debian php:apache base) binds :80,
 * which a non-root process cannot; its maintainers document two ways out for `--user`: allow
 * unprivileged low ports with the `net.ipv4.ip_unprivileged_port_start` sysctl, or change the port.
 * We change the port (these two files replace the image's own), which needs no sysctl and works on
 * every cluster. The image already makes Apache's run, lock and log directories writable by any user.
 */
export const APACHE_PORTS_CONF = `# store-platform: non-root Apache listens on an unprivileged port
Listen ${PORTS.wordpress}
`;
export const APACHE_SITE_CONF = `# store-platform: the image's default site, on port ${PORTS.wordpress}
<VirtualHost *:${PORTS.wordpress}>
\tServerAdmin webmaster@localhost
\tDocumentRoot ${DOCROOT}
\tErrorLog \${APACHE_LOG_DIR}/error.log
\tCustomLog \${APACHE_LOG_DIR}/access.log combined
</VirtualHost>
`;

/**
 * Environment that the image's wp-config-docker.php reads (database, keys and salts, site URL).
 * Shared by the WordPress container and the wp-cli jobs, so both load the same configuration.
 */
export function wordpressConfigEnv(ctx: Pick<StoreContext, 'url' | 'plan'>): k8s.EnvVar[] {
  const memoryLimit = `${ctx.plan.tuning.web.phpMemoryLimitMiB}M`;
  const extra = [
    `define('WP_HOME', '${ctx.url}');`,
    `define('WP_SITEURL', '${ctx.url}');`,
    // plugins and themes change through the platform, not the dashboard's file editor
    `define('DISALLOW_FILE_EDIT', true);`,
    // scheduled events run from the store's wp-cron CronJob (wp-cron.ts), not on page loads
    `define('DISABLE_WP_CRON', true);`,
    // core lives in an emptyDir filled from the image: it changes with the image tag, never in place
    `define('AUTOMATIC_UPDATER_DISABLED', true);`,
    // PHP's memory_limit from the plan (tuning.ts) is the ceiling: WordPress would otherwise raise it to
    // 256M in the dashboard and for image edits, past what the plan's worker count was sized for
    `define('WP_MEMORY_LIMIT', '${memoryLimit}');`,
    `define('WP_MAX_MEMORY_LIMIT', '${memoryLimit}');`,
  ].join('\n');
  return [
    env('WORDPRESS_DB_HOST', OBJECT_NAMES.mysql),
    env('WORDPRESS_DB_NAME', WORDPRESS_DB.database),
    secretEnv('WORDPRESS_DB_USER', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.username),
    secretEnv('WORDPRESS_DB_PASSWORD', OBJECT_NAMES.dbSecret, DB_SECRET_KEYS.password),
    ...Object.values(SALT_CONSTANTS).map((c) => secretEnv(`WORDPRESS_${c}`, OBJECT_NAMES.saltsSecret, c)),
    env('WORDPRESS_CONFIG_EXTRA', extra),
  ];
}

/** Props of {@link WordPress}. */
export interface WordPressProps {
  readonly context: StoreContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 6: the web tier. A Deployment of the official WordPress image (Apache) as `www-data` on
 * port 8080, its ClusterIP Service on port 80, and a PersistentVolumeClaim for `wp-content`.
 * WordPress core lives in an emptyDir the image's entrypoint fills at start-up (so a new image tag
 * upgrades core); only wp-content (plugins, themes, uploads) persists. `Recreate` because the
 * volume is ReadWriteOnce. The store's WP-Cron CronJob belongs to this step (wp-cron.ts). Ready when
 * the Deployment is Available.
 */
export class WordPress extends StoreStep {
  public constructor(scope: Construct, id: string, props: WordPressProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'wordpress',
      title: 'WordPress',
      readiness: { kind: 'DeploymentAvailable', namespace: ctx.namespace, name: OBJECT_NAMES.wordpress },
      timeoutSeconds: 600,
    });
    allowWordPress(props.policies, ctx);
    addWpCron(this, props.policies, ctx);
    const image = assertPinned(ctx.platform.images.wordpress, 'wordpress');
    const labels = componentLabels(ctx.slug, OBJECT_NAMES.wordpress, 'web');
    const selector = componentSelector(ctx.slug, OBJECT_NAMES.wordpress);

    new k8s.KubePersistentVolumeClaim(this, 'Content', {
      metadata: { name: OBJECT_NAMES.wpContentClaim, namespace: ctx.namespace, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(ctx.platform.storageClassName ? { storageClassName: ctx.platform.storageClassName } : {}),
        resources: { requests: { storage: k8s.Quantity.fromString(gibibytes(ctx.plan.storage.wpContentGiB)) } },
      },
    });
    new kplus.ConfigMap(this, 'ApacheConfig', {
      metadata: { name: OBJECT_NAMES.apacheConfig, namespace: ctx.namespace, labels },
      data: {
        'ports.conf': APACHE_PORTS_CONF,
        '000-default.conf': APACHE_SITE_CONF,
        [APACHE_MPM_FILE]: apacheMpmConf(ctx.plan),
        [PHP_INI_FILE]: phpIni(ctx.plan),
        [MU_PLUGIN_FILE]: muPlugin,
      },
    });

    const http = k8s.IntOrString.fromString('http');
    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: OBJECT_NAMES.wordpress, namespace: ctx.namespace, labels },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { ...labels, [DB_CLIENT_LABEL]: 'true' } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // the preStop hook's wait, plus time for the kubelet's own SIGTERM and SIGKILL
            terminationGracePeriodSeconds: APACHE_GRACEFUL_STOP_SECONDS + 10,
            securityContext: podSecurityContext(WWW_DATA_UID, WWW_DATA_UID),
            ...nodePoolPlacement(ctx.platform.nodePool),
            containers: [
              {
                name: 'wordpress',
                image,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: PORTS.wordpress, protocol: 'TCP' }],
                env: [...wordpressConfigEnv(ctx), env('PHP_INI_SCAN_DIR', PHP_INI_SCAN_DIR), ...mailEnv(ctx.platform)],
                resources: resources(ctx.plan.components.wordpress),
                // read-only root: what Apache and PHP write goes to emptyDirs (its pid and lock files, PHP's
                // uploads and sessions in /tmp); its logs are the image's links to stdout and stderr
                securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
                volumeMounts: [
                  { name: 'docroot', mountPath: DOCROOT },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'apache-run', mountPath: APACHE_RUN_DIR, subPath: 'run' },
                  { name: 'apache-run', mountPath: APACHE_LOCK_DIR, subPath: 'lock' },
                  { name: 'wp-content', mountPath: `${DOCROOT}/wp-content` },
                  { name: 'apache-config', mountPath: '/etc/apache2/ports.conf', subPath: 'ports.conf', readOnly: true },
                  {
                    name: 'apache-config',
                    mountPath: '/etc/apache2/sites-available/000-default.conf',
                    subPath: '000-default.conf',
                    readOnly: true,
                  },
                  { name: 'apache-config', mountPath: `/etc/apache2/conf-enabled/${APACHE_MPM_FILE}`, subPath: APACHE_MPM_FILE, readOnly: true },
                  { name: 'php-config', mountPath: PHP_INI_DIR, readOnly: true },
                  // the platform's must-use plugin, one read-only file inside the wp-content volume
                  { name: 'apache-config', mountPath: `${DOCROOT}/wp-content/mu-plugins/${MU_PLUGIN_FILE}`, subPath: MU_PLUGIN_FILE, readOnly: true },
                ],
                // graceful stop: SIGWINCH makes Apache finish the requests in flight (SIGTERM would cut them);
                // the image's STOPSIGNAL says the same, but not every runtime honours it. The kubelet sends
                // SIGTERM when this hook returns, so it waits for Apache, which ends the container on exit
                lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `kill -WINCH 1; sleep ${APACHE_GRACEFUL_STOP_SECONDS}`] } } },
                // Apache alone (a static file): restarts only when the web server is stuck
                startupProbe: { httpGet: { path: '/wp-includes/images/blank.gif', port: http }, periodSeconds: 5, failureThreshold: 60 },
                livenessProbe: {
                  httpGet: { path: '/wp-includes/images/blank.gif', port: http },
                  periodSeconds: 15,
                  timeoutSeconds: 5,
                  failureThreshold: 4,
                },
                // PHP and the database: wp-login.php answers 200 (or 302 before install) and 500
                // when the database is unreachable
                readinessProbe: { httpGet: { path: '/wp-login.php', port: http }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
              },
            ],
            volumes: [
              { name: 'docroot', emptyDir: { sizeLimit: k8s.Quantity.fromString('512Mi') } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
              { name: 'apache-run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
              { name: 'wp-content', persistentVolumeClaim: { claimName: OBJECT_NAMES.wpContentClaim } },
              { name: 'apache-config', configMap: { name: OBJECT_NAMES.apacheConfig } },
              { name: 'php-config', configMap: { name: OBJECT_NAMES.apacheConfig, items: [{ key: PHP_INI_FILE, path: PHP_INI_FILE }] } },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: OBJECT_NAMES.wordpress, namespace: ctx.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: WORDPRESS_SERVICE_PORT, targetPort: http, protocol: 'TCP' }],
      },
    });
  }
}

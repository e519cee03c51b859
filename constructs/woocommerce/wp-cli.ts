import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels, componentSelector, DB_CLIENT_LABEL } from '../labels.js';
import { OBJECT_NAMES } from './names.js';
import { assertPinned, containerSecurityContext, env, resources, runOnceJobSpec } from '../pods.js';
import { DOCROOT, wordpressConfigEnv, WWW_DATA_UID } from './wordpress.js';

/** What a wp-cli pod needs to know about its store. */
export type WpCliContext = Pick<StoreContext, 'slug' | 'namespace' | 'platform' | 'plan' | 'url'>;

/** Options of {@link wpCliJobSpec}. */
export interface WpCliJobOptions {
  /** Job name; also the pods' `app.kubernetes.io/name`. */
  readonly name: string;
  /** Command of the wp-cli container (it runs with `/var/www/html` as working directory). */
  readonly command: readonly string[];
  /** Extra environment for the wp-cli container. */
  readonly env: readonly k8s.EnvVar[];
  /**
   * Mount the store's wp-content volume (needed to install plugins). The volume is ReadWriteOnce,
   * so the pod is then required onto the node of the WordPress pod.
   */
  readonly mountWpContent: boolean;
  /** Mount the store-scripts ConfigMap at /scripts. */
  readonly mountScripts: boolean;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  /**
   * Pod `app.kubernetes.io/component` label.
   * @default 'wp-cli'
   */
  readonly role?: string;
  /**
   * Init containers that run after core is staged and before wp-cli; they may mount the pod's
   * `tmp` volume (shared with wp-cli at /tmp) to hand it files.
   * @default - none
   */
  readonly initContainers?: readonly k8s.Container[];
}

/**
 * Spec of a Job that runs wp-cli against the store. WordPress core and wp-config.php come from the
 * store's own WordPress image: an init container runs that image's `docker-ensure-installed.sh`
 * (the entrypoint's copy step, without starting Apache) into a shared emptyDir, so wp-cli sees the
 * same core version and configuration as the site. Both containers run as www-data (33), the uid
 * the WordPress image owns its files with; the wp-cli image's docs use `--user 33:33` for this.
 */
export function wpCliJobSpec(ctx: WpCliContext, opts: WpCliJobOptions): k8s.JobSpec {
  const wordpressImage = assertPinned(ctx.platform.images.wordpress, 'wordpress');
  const wpCliImage = assertPinned(ctx.platform.images.wpCli, 'wp-cli');
  const labels = { ...componentLabels(ctx.slug, opts.name, opts.role ?? 'wp-cli'), [DB_CLIENT_LABEL]: 'true' };
  const mounts: k8s.VolumeMount[] = [
    { name: 'docroot', mountPath: DOCROOT },
    { name: 'tmp', mountPath: '/tmp' },
    ...(opts.mountWpContent ? [{ name: 'wp-content', mountPath: `${DOCROOT}/wp-content` }] : []),
  ];
  const volumes: k8s.Volume[] = [
    { name: 'docroot', emptyDir: { sizeLimit: k8s.Quantity.fromString('512Mi') } },
    { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
    ...(opts.mountWpContent ? [{ name: 'wp-content', persistentVolumeClaim: { claimName: OBJECT_NAMES.wpContentClaim } }] : []),
    ...(opts.mountScripts ? [{ name: 'scripts', configMap: { name: OBJECT_NAMES.scriptsConfig, defaultMode: 0o555 } }] : []),
  ];
  const affinity: k8s.Affinity | undefined = opts.mountWpContent
    ? {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: componentSelector(ctx.slug, OBJECT_NAMES.wordpress) }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      }
    : undefined;
  return runOnceJobSpec({
    labels,
    backoffLimit: opts.backoffLimit,
    activeDeadlineSeconds: opts.activeDeadlineSeconds,
    runAs: { uid: WWW_DATA_UID, gid: WWW_DATA_UID },
    ...(ctx.platform.nodePool ? { nodePool: ctx.platform.nodePool } : {}),
    pod: {
      ...(affinity ? { affinity } : {}),
      initContainers: [
        {
          name: 'stage-core',
          image: wordpressImage,
          imagePullPolicy: 'IfNotPresent',
          command: ['docker-ensure-installed.sh', 'true'],
          workingDir: DOCROOT,
          env: wordpressConfigEnv(ctx),
          resources: resources(ctx.plan.components.wpCli),
          securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
          volumeMounts: mounts,
        },
        ...(opts.initContainers ?? []),
      ],
      containers: [
        {
          name: 'wp-cli',
          image: wpCliImage,
          imagePullPolicy: 'IfNotPresent',
          command: [...opts.command],
          workingDir: DOCROOT,
          env: [
            ...wordpressConfigEnv(ctx),
            // uid 33 has no home directory in the Alpine-based wp-cli image
            env('HOME', '/tmp'),
            env('WP_CLI_CACHE_DIR', '/tmp/wp-cli-cache'),
            ...opts.env,
          ],
          resources: resources(ctx.plan.components.wpCli),
          securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
          volumeMounts: [...mounts, ...(opts.mountScripts ? [{ name: 'scripts', mountPath: '/scripts', readOnly: true }] : [])],
        },
      ],
      volumes,
    },
  });
}

import type { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels } from '../labels.js';
import { OBJECT_NAMES } from './names.js';
import { assertPinned, containerSecurityContext, resources, runOnceJobSpec } from '../pods.js';
import { allowCron } from './policies.js';
import { CURL_GID, CURL_UID } from './store-check.js';
import { WORDPRESS_SERVICE_PORT } from './wordpress.js';

/** Minutes between two runs of the store's due WP-Cron events (Action Scheduler's queue among them). */
export const WP_CRON_EVERY_MINUTES = 5;
/** A run that has not finished by then is stopped; the next one picks up what is still due. */
const RUN_DEADLINE_SECONDS = 240;

/**
 * WordPress runs its scheduled events (WooCommerce's Action Scheduler queue, emails, cleanups) on
 * page loads by default, through a loopback request to its own host: inside the pod that host does
 * not lead back to WordPress, so nothing would ever run. The store turns that off
 * (`DISABLE_WP_CRON`, see wordpress.ts) and this CronJob requests `wp-cron.php` through the
 * WordPress Service every {@link WP_CRON_EVERY_MINUTES} minutes instead. Each store starts at its
 * own minute of the interval (from its name), so a fleet does not run at once.
 * Part of the WordPress step (the CronJob only needs to exist); its allow-policy joins `policies`.
 */
export function addWpCron(step: Construct, policies: Construct, ctx: StoreContext): void {
  allowCron(policies, ctx);
  const labels = componentLabels(ctx.slug, OBJECT_NAMES.cronJob, 'cron');
  new k8s.KubeCronJob(step, 'Cron', {
    metadata: { name: OBJECT_NAMES.cronJob, namespace: ctx.namespace, labels },
    spec: {
      schedule: cronSchedule(ctx.slug),
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 120,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels },
        spec: runOnceJobSpec({
          labels,
          backoffLimit: 0,
          activeDeadlineSeconds: RUN_DEADLINE_SECONDS,
          runAs: { uid: CURL_UID, gid: CURL_GID },
          ...(ctx.platform.nodePool ? { nodePool: ctx.platform.nodePool } : {}),
          pod: {
            containers: [{
              name: 'cron',
              image: assertPinned(ctx.platform.images.curl, 'curl'),
              imagePullPolicy: 'IfNotPresent',
              // the store's host so WordPress treats it as its own request; -f fails the run on an error
              // page; retries cover the moment a new pod's network policy takes to be programmed
              command: ['curl', '-fsS', '-o', '/dev/null', '-w', 'wp-cron.php: HTTP %{http_code} in %{time_total} s\\n',
                '--connect-timeout', '5', '--retry', '5', '--retry-delay', '2', '--retry-all-errors',
                '--max-time', String(RUN_DEADLINE_SECONDS - 40), '-H', `Host: ${ctx.host}`,
                `http://${OBJECT_NAMES.wordpress}:${WORDPRESS_SERVICE_PORT}/wp-cron.php?doing_wp_cron`],
              resources: resources(ctx.plan.components.storeCheck),
              securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
            }],
          },
        }),
      },
    },
  });
}

/** `M-59/5 * * * *` with M from the slug: the same store always runs at the same minutes. */
export function cronSchedule(slug: string): string {
  let hash = 0;
  for (const ch of slug) hash = (hash * 31 + ch.charCodeAt(0)) % 9973;
  return `${hash % WP_CRON_EVERY_MINUTES}-59/${WP_CRON_EVERY_MINUTES} * * * *`;
}

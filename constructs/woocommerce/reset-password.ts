import { App, Chart } from 'cdk8s';
import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels } from '../labels.js';
import { namespaceFor } from '../names.js';
import { OBJECT_NAMES } from './names.js';
import { planTable } from '../plans.js';
import type { KubeObject } from '../readiness.js';
import { ADMIN_SECRET_KEYS } from './secrets.js';
import type { ResetPasswordJobOptions } from '../engine.js';
import { storeUrl } from '../spec.js';
import { secretEnv } from '../pods.js';
import { wpCliJobSpec } from './wp-cli.js';

/**
 * A one-off Job that sets the WordPress administrator's password to the `password` key of the
 * `wordpress-admin` Secret. The engine writes the new password into the Secret, then creates this
 * Job and waits for it to complete; the password never appears in the Job spec (the container
 * reads it from the Secret through its environment) nor on wp-cli's command line (it is piped to
 * `--prompt=user_pass`). Plugins and themes are skipped, so the Job
 * needs no wp-content volume. Pure.
 */
export function buildResetPasswordJob(slug: string, options: ResetPasswordJobOptions): KubeObject {
  if (options.spec.name !== slug) throw new Error(`reset job slug '${slug}' does not match spec name '${options.spec.name}'`);
  const name = options.jobName ?? OBJECT_NAMES.resetPasswordJob;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) throw new Error(`reset job name must be an RFC 1123 label, got '${name}'`);
  const ctx: Pick<StoreContext, 'slug' | 'namespace' | 'platform' | 'plan' | 'url'> = {
    slug,
    namespace: namespaceFor(slug),
    platform: options.platform,
    plan: planTable[options.spec.plan],
    url: storeUrl(options.spec, options.platform),
  };
  // a throwaway App: nothing is written, it only resolves the object to JSON
  const chart = new Chart(new App({ outdir: 'dist' }), 'ResetPassword', { disableResourceNameHashes: true });
  const job = new k8s.KubeJob(chart, 'Resource', {
    metadata: { name, namespace: ctx.namespace, labels: componentLabels(slug, name, 'wp-cli') },
    spec: wpCliJobSpec(ctx, {
      name,
      command: [
        '/bin/sh',
        '-c',
        // the password reaches wp-cli on stdin (--prompt reads one line), never on its command line;
        // --skip-email: the merchant asked for this reset, no notification mail
        'printf \'%s\\n\' "$ADMIN_PASSWORD" | wp --path=/var/www/html user update "$ADMIN_USER" --prompt=user_pass --skip-plugins --skip-themes --skip-email',
      ],
      env: [
        secretEnv('ADMIN_USER', OBJECT_NAMES.adminSecret, ADMIN_SECRET_KEYS.username),
        secretEnv('ADMIN_PASSWORD', OBJECT_NAMES.adminSecret, ADMIN_SECRET_KEYS.password),
      ],
      mountWpContent: false,
      mountScripts: false,
      backoffLimit: 3,
      activeDeadlineSeconds: 300,
    }),
  });
  return job.toJson() as KubeObject;
}


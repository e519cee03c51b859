import { App, Chart } from 'cdk8s';
import * as k8s from '../../imports/k8s.js';
import type { ResetPasswordJobOptions } from '../engine.js';
import { namespaceFor } from '../names.js';
import { planTable } from '../plans.js';
import type { KubeObject } from '../readiness.js';
import { storeUrl } from '../spec.js';
import { adminEnv, MEDUSA_CLI, medusaEnv } from './app-env.js';
import { medusaJob } from './jobs.js';
import { MEDUSA_IMAGE_PATHS, MEDUSA_NAMES } from './names.js';

/**
 * A one-off Job that sets the Medusa administrator's password to the `password` key of the
 * `medusa-admin` Secret, with the image's reset script (the auth module's emailpass provider). The
 * engine writes the new password into the Secret first; the password never appears in the Job spec.
 * Pure.
 */
export function buildMedusaResetPasswordJob(slug: string, options: ResetPasswordJobOptions): KubeObject {
  if (options.spec.name !== slug) throw new Error(`reset job slug '${slug}' does not match spec name '${options.spec.name}'`);
  const name = options.jobName ?? MEDUSA_NAMES.resetPasswordJob;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) throw new Error(`reset job name must be an RFC 1123 label, got '${name}'`);
  const sizing = planTable[options.spec.plan].medusa;
  if (!sizing) throw new Error(`plan '${options.spec.plan}' does not offer Medusa`);
  const ctx = { slug, namespace: namespaceFor(slug), platform: options.platform, url: storeUrl(options.spec, options.platform) };
  // a throwaway App: nothing is written, it only resolves the object to JSON
  const chart = new Chart(new App({ outdir: 'dist' }), 'ResetPassword', { disableResourceNameHashes: true });
  const job = new k8s.KubeJob(chart, 'Resource', medusaJob(ctx, {
    name,
    role: 'reset',
    command: [MEDUSA_CLI, 'exec', MEDUSA_IMAGE_PATHS.resetScript],
    env: [...medusaEnv(ctx, 'shared'), ...adminEnv()],
    size: sizing.job,
    backoffLimit: 3,
    activeDeadlineSeconds: 300,
    backendClient: true,
  }));
  return job.toJson() as KubeObject;
}

import type { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { MedusaContext } from './context.js';
import { MEDUSA_IMAGE_PATHS, MEDUSA_NAMES } from './names.js';
import { env } from '../pods.js';
import { StoreStep } from '../step.js';
import { adminEnv, MEDUSA_CLI, medusaEnv } from './app-env.js';
import { medusaJob } from './jobs.js';

/** The ISO 3166 country (lowercase) of the platform's store address (`US:CA` -> `us`). */
export function storeCountry(ctx: Pick<MedusaContext, 'platform'>): string {
  const country = ctx.platform.storeAddress.country.split(':')[0]!.toLowerCase();
  if (!/^[a-z]{2}$/.test(country)) throw new Error(`store address country must start with an ISO 3166 code, got '${ctx.platform.storeAddress.country}'`);
  return country;
}

/** Props of {@link MedusaSetupJob}. */
export interface MedusaSetupJobProps {
  readonly context: MedusaContext;
}

/**
 * Step 7: the `store-setup` Job: `medusa db:migrate`, then the image's idempotent setup script
 * (infra/images/medusa/src/scripts/setup-store.ts): the administrator, the store's currency, a
 * region with the manual payment provider, tax region, stock location, manual fulfillment with a
 * shipping option, a published sample product with stock, and the storefront's publishable key.
 * Every object is found by name or handle before it is created, so a retried pod completes the
 * store. Ready when the Job is Complete.
 */
export class MedusaSetupJob extends StoreStep {
  public constructor(scope: Construct, id: string, props: MedusaSetupJobProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'store-setup',
      title: 'Medusa setup',
      readiness: { kind: 'JobComplete', namespace: ctx.namespace, name: MEDUSA_NAMES.setupJob },
      timeoutSeconds: 900,
    });
    new k8s.KubeJob(this, 'Resource', medusaJob(ctx, {
      name: MEDUSA_NAMES.setupJob,
      role: 'setup',
      command: ['/bin/sh', '-c', `${MEDUSA_CLI} db:migrate && exec ${MEDUSA_CLI} exec ${MEDUSA_IMAGE_PATHS.setupScript}`],
      env: [
        ...medusaEnv(ctx, 'shared'),
        ...adminEnv(),
        env('STORE_TITLE', ctx.spec.title),
        env('STORE_CURRENCY', ctx.spec.currency),
        env('STORE_COUNTRIES', storeCountry(ctx)),
      ],
      size: ctx.sizing.job,
      backoffLimit: 4,
      activeDeadlineSeconds: 900,
      backendClient: true,
    }));
  }
}

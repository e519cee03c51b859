import type { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { MedusaContext } from './context.js';
import { MEDUSA_IMAGE_PATHS, MEDUSA_NAMES } from './names.js';
import { ingressRoute } from '../ingress-route.js';
import { env } from '../pods.js';
import { StoreStep } from '../step.js';
import { allowStoreCheck } from './policies.js';
import { adminEnv } from './app-env.js';
import { medusaJob } from './jobs.js';

/** Props of {@link MedusaStoreCheck}. */
export interface MedusaStoreCheckProps {
  readonly context: MedusaContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 10: the `store-check` Job places a real order (infra/images/medusa/check/place-order.mjs):
 * with the store's publishable key it puts the sample product in a cart, ships it with the store's
 * shipping option, pays with the manual provider and completes the cart, then reads the order back
 * through the Admin API and cancels it so the merchant's shop stays clean. Every request goes to the
 * ingress controller's Service with the store's host (and, with TLS on, its certificate checked for
 * that host), so the order takes the shopper's path. Ready only when that order went through.
 */
export class MedusaStoreCheck extends StoreStep {
  public constructor(scope: Construct, id: string, props: MedusaStoreCheckProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'store-check',
      title: 'Store check (a real order)',
      readiness: { kind: 'JobComplete', namespace: ctx.namespace, name: MEDUSA_NAMES.storeCheckJob },
      timeoutSeconds: 300,
    });
    allowStoreCheck(props.policies, ctx);
    const route = ingressRoute(ctx.platform, ctx.host);
    new k8s.KubeJob(this, 'Resource', medusaJob(ctx, {
      name: MEDUSA_NAMES.storeCheckJob,
      role: 'check',
      command: ['node', MEDUSA_IMAGE_PATHS.orderScript],
      env: [
        env('CONNECT_URL', `${new URL(route.storeUrl).protocol}//${route.controller}`),
        env('STORE_HOST', ctx.host),
        ...adminEnv(),
        env('ATTEMPTS', '30'),
        env('DELAY_SECONDS', '5'),
      ],
      size: ctx.sizing.storeCheck,
      backoffLimit: 2,
      activeDeadlineSeconds: 300,
      backendClient: false,
    }));
  }
}

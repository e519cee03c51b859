import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels } from '../labels.js';
import { CHECK_ORDER_EMAIL, OBJECT_NAMES, SAMPLE_PRODUCT } from './names.js';
import { assertPinned, containerSecurityContext, env, resources } from '../pods.js';
import { StoreStep } from '../step.js';
import { allowStoreCheck } from './policies.js';
import { ingressRoute } from '../ingress-route.js';
import { wpCliJobSpec } from './wp-cli.js';

/** uid/gid of `curl_user` in the curl image (the WP-Cron runs use it). */
export const CURL_UID = 100;
export const CURL_GID = 101;

/** Where the checkout hands the order id to the wp-cli container (the pod's shared /tmp). */
export const CHECK_ORDER_FILE = '/tmp/check-order/order-id';

/**
 * Time budget of the store check. The checkout's retries stop at their own deadline, so one pod
 * (core staged, checkout, order removal) ends well inside {@link STORE_CHECK_TIMING.podSeconds}, and
 * the Job's deadline covers every attempt: a failure is the script's message, never the deadline.
 */
export const STORE_CHECK_TIMING = {
  /** Retries of the checkout container while WordPress warms up. */
  checkoutDeadlineSeconds: 240,
  /** One pod at most: staging core, the checkout and removing the order. */
  podSeconds: 330,
  /** Pods after the first. */
  backoffLimit: 1,
  /** The Job's `activeDeadlineSeconds`: every attempt. */
  jobDeadlineSeconds: 720,
  /** The provisioning step's timeout: the Job's deadline plus scheduling. */
  stepTimeoutSeconds: 780,
} as const;

/** Props of {@link StoreCheck}. */
export interface StoreCheckProps {
  readonly context: StoreContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 9: the `store-check` Job, which proves the store can take an order and leaves no trace of it.
 * Its `checkout` init container (curl image, constructs/woocommerce/scripts/store-check.sh) takes a
 * shopper's path: the store's own URL through the ingress controller (the host resolved to its
 * Service, see ingress-route.ts), the storefront, the Store API product list, a cart with the sample
 * product offering Cash on Delivery, and a checkout with payment method `cod` billed to
 * {@link CHECK_ORDER_EMAIL}. Its wp-cli container (remove-check-order.sh) then finds that order in
 * the database and deletes every order billed to the reserved address, so the merchant's shop starts
 * clean. The store is Ready only when this Job is Complete: "pods running" is not "can take an order".
 */
export class StoreCheck extends StoreStep {
  public constructor(scope: Construct, id: string, props: StoreCheckProps) {
    const ctx = props.context;
    const timing = STORE_CHECK_TIMING;
    super(scope, id, {
      name: 'store-check',
      title: 'Store check',
      readiness: { kind: 'JobComplete', namespace: ctx.namespace, name: OBJECT_NAMES.storeCheckJob },
      timeoutSeconds: timing.stepTimeoutSeconds,
    });
    allowStoreCheck(props.policies, ctx);
    const route = ingressRoute(ctx.platform, ctx.host);
    const address = ctx.platform.storeAddress;
    const orderEnv = [env('CHECK_EMAIL', CHECK_ORDER_EMAIL), env('ORDER_FILE', CHECK_ORDER_FILE)];
    const checkout: k8s.Container = {
      name: 'checkout',
      image: assertPinned(ctx.platform.images.curl, 'curl'),
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '/scripts/store-check.sh'],
      env: [
        env('STORE_URL', route.storeUrl),
        env('INGRESS_CONTROLLER', route.controller),
        env('SAMPLE_PRODUCT_SLUG', SAMPLE_PRODUCT.slug),
        ...orderEnv,
        // the store's own address: valid wherever it sells
        env('BILLING_ADDRESS_LINE1', address.line1),
        env('BILLING_CITY', address.city),
        env('BILLING_POSTCODE', address.postcode),
        env('BILLING_COUNTRY', address.country),
        env('ATTEMPTS', '30'),
        env('DELAY_SECONDS', '5'),
        env('DEADLINE_SECONDS', String(timing.checkoutDeadlineSeconds)),
      ],
      resources: resources(ctx.plan.components.storeCheck),
      securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
      volumeMounts: [
        { name: 'scripts', mountPath: '/scripts', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };
    new k8s.KubeJob(this, 'Resource', {
      metadata: { name: OBJECT_NAMES.storeCheckJob, namespace: ctx.namespace, labels: componentLabels(ctx.slug, OBJECT_NAMES.storeCheckJob, 'check') },
      spec: wpCliJobSpec(ctx, {
        name: OBJECT_NAMES.storeCheckJob,
        role: 'check',
        command: ['/bin/sh', '/scripts/remove-check-order.sh'],
        env: [env('STORE_URL', ctx.url), ...orderEnv],
        initContainers: [checkout],
        // wp-cli loads WooCommerce from wp-content to find and delete the order
        mountWpContent: true,
        mountScripts: true,
        backoffLimit: timing.backoffLimit,
        activeDeadlineSeconds: timing.jobDeadlineSeconds,
      }),
    });
  }
}

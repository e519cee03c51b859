import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels, storeLabels } from '../labels.js';
import { ADMIN_USERNAME, OBJECT_NAMES, SAMPLE_PRODUCT } from './names.js';
import { env, secretEnv } from '../pods.js';
import { removeCheckOrder, setupStore, storeCheck } from './scripts/embedded.js';
import { ADMIN_SECRET_KEYS } from './secrets.js';
import { StoreStep } from '../step.js';
import { allowSetup } from './policies.js';
import { wpCliJobSpec } from './wp-cli.js';

/** Props of {@link SetupJob}. */
export interface SetupJobProps {
  readonly context: StoreContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 7: the `store-scripts` ConfigMap and the `store-setup` Job that runs
 * constructs/woocommerce/scripts/setup-store.sh with wp-cli: waits for the database, installs WordPress core
 * if needed, installs and activates WooCommerce, sets currency and store address, ensures a
 * published sample product, enables Cash on Delivery, sets pretty permalinks, then verifies each.
 * Ready when the Job is Complete; finished Jobs and pods are removed after a TTL.
 */
export class SetupJob extends StoreStep {
  public constructor(scope: Construct, id: string, props: SetupJobProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'store-setup',
      title: 'WooCommerce setup',
      readiness: { kind: 'JobComplete', namespace: ctx.namespace, name: OBJECT_NAMES.setupJob },
      timeoutSeconds: 900,
    });
    allowSetup(props.policies, ctx);
    new kplus.ConfigMap(this, 'Scripts', {
      metadata: { name: OBJECT_NAMES.scriptsConfig, namespace: ctx.namespace, labels: storeLabels(ctx.slug) },
      data: { 'setup-store.sh': setupStore, 'store-check.sh': storeCheck, 'remove-check-order.sh': removeCheckOrder },
    });
    const address = ctx.platform.storeAddress;
    new k8s.KubeJob(this, 'Resource', {
      metadata: { name: OBJECT_NAMES.setupJob, namespace: ctx.namespace, labels: componentLabels(ctx.slug, OBJECT_NAMES.setupJob, 'wp-cli') },
      spec: wpCliJobSpec(ctx, {
        name: OBJECT_NAMES.setupJob,
        command: ['/bin/sh', '/scripts/setup-store.sh'],
        mountWpContent: true,
        mountScripts: true,
        backoffLimit: 4,
        activeDeadlineSeconds: 900,
        env: [
          env('STORE_URL', ctx.url),
          env('STORE_TITLE', ctx.spec.title),
          env('ADMIN_USER', ADMIN_USERNAME),
          secretEnv('ADMIN_PASSWORD', OBJECT_NAMES.adminSecret, ADMIN_SECRET_KEYS.password),
          secretEnv('ADMIN_EMAIL', OBJECT_NAMES.adminSecret, ADMIN_SECRET_KEYS.email),
          env('STORE_CURRENCY', ctx.spec.currency),
          env('STORE_ADDRESS_LINE1', address.line1),
          env('STORE_CITY', address.city),
          env('STORE_POSTCODE', address.postcode),
          env('STORE_COUNTRY', address.country),
          env('WOOCOMMERCE_VERSION', ctx.platform.woocommerceVersion),
          env('SAMPLE_PRODUCT_SKU', SAMPLE_PRODUCT.sku),
          env('SAMPLE_PRODUCT_SLUG', SAMPLE_PRODUCT.slug),
          env('SAMPLE_PRODUCT_NAME', SAMPLE_PRODUCT.name),
          env('SAMPLE_PRODUCT_PRICE', SAMPLE_PRODUCT.price),
        ],
      }),
    });
  }
}

import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels } from '../labels.js';
import { OBJECT_NAMES, SAMPLE_PRODUCT } from './names.js';
import { assertPinned, containerSecurityContext, env, resources, runOnceJobSpec } from '../pods.js';
import { StoreStep } from '../step.js';
import { allowStoreCheck } from './policies.js';
import { ingressRoute } from '../ingress-route.js';

/** uid/gid of `curl_user` in the curl image. */
export const CURL_UID = 100;
export const CURL_GID = 101;

/** Props of {@link StoreCheck}. */
export interface StoreCheckProps {
  readonly context: StoreContext;
  /** The shared NetworkPolicies step: this workload adds its allow-policy to it. */
  readonly policies: Construct;
}

/**
 * Step 9: the `store-check` Job. On the store's own URL, through the ingress controller (the host
 * resolved to its Service, see ingress-route.ts), it fetches the storefront and the Store API product list, puts the sample product in a cart and
 * requires Cash on Delivery among the cart's payment methods (constructs/woocommerce/scripts/store-check.sh).
 * The store is Ready only when this Job is Complete: "pods running" is not "can take an order".
 */
export class StoreCheck extends StoreStep {
  public constructor(scope: Construct, id: string, props: StoreCheckProps) {
    const ctx = props.context;
    super(scope, id, {
      name: 'store-check',
      title: 'Store check',
      readiness: { kind: 'JobComplete', namespace: ctx.namespace, name: OBJECT_NAMES.storeCheckJob },
      timeoutSeconds: 300,
    });
    allowStoreCheck(props.policies, ctx);
    const route = ingressRoute(ctx.platform, ctx.host);
    const labels = componentLabels(ctx.slug, OBJECT_NAMES.storeCheckJob, 'check');
    new k8s.KubeJob(this, 'Resource', {
      metadata: { name: OBJECT_NAMES.storeCheckJob, namespace: ctx.namespace, labels },
      spec: runOnceJobSpec({
        labels,
        backoffLimit: 2,
        activeDeadlineSeconds: 300,
        runAs: { uid: CURL_UID, gid: CURL_GID },
        ...(ctx.platform.nodePool ? { nodePool: ctx.platform.nodePool } : {}),
        pod: {
          containers: [
            {
              name: 'check',
              image: assertPinned(ctx.platform.images.curl, 'curl'),
              imagePullPolicy: 'IfNotPresent',
              command: ['/bin/sh', '/scripts/store-check.sh'],
              env: [
                env('STORE_URL', route.storeUrl),
                env('INGRESS_CONTROLLER', route.controller),
                env('SAMPLE_PRODUCT_SLUG', SAMPLE_PRODUCT.slug),
                env('ATTEMPTS', '30'),
                env('DELAY_SECONDS', '5'),
              ],
              resources: resources(ctx.plan.components.storeCheck),
              securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
              volumeMounts: [
                { name: 'scripts', mountPath: '/scripts', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'scripts', configMap: { name: OBJECT_NAMES.scriptsConfig, defaultMode: 0o555 } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
          ],
        },
      }),
    });
  }
}

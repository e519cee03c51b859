import { Construct } from 'constructs';
import * as k8s from '../imports/k8s.js';
import type { StoreContext } from './context.js';
import { componentLabels } from './labels.js';
import { OBJECT_NAMES } from './names.js';
import { StoreStep } from './step.js';
import { WORDPRESS_SERVICE_PORT } from './wordpress.js';

/** Annotation cert-manager reads to issue the Ingress's certificate. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/** Props of {@link StoreIngress}. */
export interface StoreIngressProps {
  readonly context: StoreContext;
}

/**
 * Step 8: the Ingress routing the store's host to the WordPress Service, on the platform's ingress
 * class; with TLS enabled, a cert-manager ClusterIssuer annotation and a TLS section. Applied only
 * after setup, so shoppers never see the WordPress installer.
 */
export class StoreIngress extends StoreStep {
  public constructor(scope: Construct, id: string, props: StoreIngressProps) {
    const ctx = props.context;
    super(scope, id, { name: 'ingress', title: 'Ingress', readiness: { kind: 'Applied' }, timeoutSeconds: 30 });
    const tls = ctx.platform.tls;
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: OBJECT_NAMES.ingress,
        namespace: ctx.namespace,
        labels: componentLabels(ctx.slug, OBJECT_NAMES.wordpress, 'web'),
        ...(tls.enabled ? { annotations: { [CLUSTER_ISSUER_ANNOTATION]: tls.clusterIssuer } } : {}),
      },
      spec: {
        ingressClassName: ctx.platform.ingressClassName,
        ...(tls.enabled ? { tls: [{ hosts: [ctx.host], secretName: OBJECT_NAMES.tlsSecret }] } : {}),
        rules: [
          {
            host: ctx.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: OBJECT_NAMES.wordpress, port: { number: WORDPRESS_SERVICE_PORT } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}

import { Construct } from 'constructs';
import * as k8s from '../imports/k8s.js';
import { namespaceFor } from './names.js';
import type { PlatformSettings } from './spec.js';
import { StoreStep } from './step.js';

/** Annotation cert-manager reads to issue the Ingress's certificate. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/** Props of {@link StoreIngress}. */
export interface StoreIngressProps {
  /** The store's slug; the Ingress goes to `store-<slug>`. */
  readonly slug: string;
  /** Name of the Ingress object. */
  readonly name: string;
  /** Host the store is served on. */
  readonly host: string;
  /** The Service (same namespace) and port every path goes to. */
  readonly backend: { readonly serviceName: string; readonly port: number };
  /** Labels of the Ingress object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Ingress class and TLS settings of the platform. */
  readonly platform: Pick<PlatformSettings, 'ingressClassName' | 'tls'>;
  /** Secret cert-manager writes the certificate to, when TLS is enabled. */
  readonly tlsSecretName: string;
}

/**
 * The Ingress routing the store's host to the engine's web Service, on the platform's ingress
 * class; with TLS enabled, a cert-manager ClusterIssuer annotation and a TLS section. Engines apply
 * it after their setup, so shoppers never see an installer.
 */
export class StoreIngress extends StoreStep {
  public constructor(scope: Construct, id: string, props: StoreIngressProps) {
    super(scope, id, { name: 'ingress', title: 'Ingress', readiness: { kind: 'Applied' }, timeoutSeconds: 30 });
    const tls = props.platform.tls;
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: namespaceFor(props.slug),
        labels: { ...props.labels },
        ...(tls.enabled ? { annotations: { [CLUSTER_ISSUER_ANNOTATION]: tls.clusterIssuer } } : {}),
      },
      spec: {
        ingressClassName: props.platform.ingressClassName,
        ...(tls.enabled ? { tls: [{ hosts: [props.host], secretName: props.tlsSecretName }] } : {}),
        rules: [
          {
            host: props.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: props.backend.serviceName, port: { number: props.backend.port } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}

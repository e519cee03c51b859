import { Construct } from 'constructs';
import * as k8s from '../imports/k8s.js';
import { namespaceFor } from './names.js';
import type { PlatformSettings } from './spec.js';
import { StoreStep } from './step.js';

/** Annotation cert-manager reads to issue the Ingress's certificate. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/**
 * How long a TLS store waits for its certificate: an HTTP-01 order takes seconds when DNS points at the
 * ingress controller, and cert-manager retries a failed challenge with backoff for minutes.
 */
export const CERTIFICATE_TIMEOUT_SECONDS = 900;

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
 * class; with TLS enabled, a cert-manager ClusterIssuer annotation and a TLS section, and the step is
 * done only once the certificate is issued (the store check then runs over verified HTTPS). Engines
 * apply it after their setup, so shoppers never see an installer.
 */
export class StoreIngress extends StoreStep {
  public constructor(scope: Construct, id: string, props: StoreIngressProps) {
    const tls = props.platform.tls;
    const namespace = namespaceFor(props.slug);
    super(scope, id, tls.enabled
      ? {
        name: 'ingress',
        title: 'Ingress and TLS certificate',
        readiness: { kind: 'CertificateIssued', namespace, secretName: props.tlsSecretName, host: props.host },
        timeoutSeconds: CERTIFICATE_TIMEOUT_SECONDS,
      }
      : { name: 'ingress', title: 'Ingress', readiness: { kind: 'Applied' }, timeoutSeconds: 30 });
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace,
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

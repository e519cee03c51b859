import type * as k8s from '../imports/k8s.js';
import { nsSelector } from './network-policies.js';
import type { PlatformSettings } from './spec.js';

/**
 * How a store check reaches the store the way a shopper does: the store's own URL, with its host
 * resolved to the ingress controller's Service inside the cluster (no external DNS), so the request
 * crosses the controller, the store's Ingress rule and, with TLS on, its certificate.
 */
export interface IngressRoute {
  /** `http(s)://<host>`: what the check requests. */
  readonly storeUrl: string;
  /** `<service>.<namespace>.svc`: where the store's host is sent. */
  readonly controller: string;
}

export function ingressRoute(platform: Pick<PlatformSettings, 'ingressService' | 'ingressNamespace' | 'tls'>, host: string): IngressRoute {
  return {
    storeUrl: `${platform.tls.enabled ? 'https' : 'http'}://${host}`,
    controller: `${platform.ingressService}.${platform.ingressNamespace}.svc`,
  };
}

/**
 * Egress from a check pod to the ingress controller's pods. No port: policies see the pod's port
 * after the Service is resolved, and each controller maps 80/443 to ports of its own (Traefik 8000/8443).
 */
export function egressToIngressController(ingressNamespace: string): k8s.NetworkPolicyEgressRule {
  return { to: [{ namespaceSelector: nsSelector(ingressNamespace) }] };
}

import type * as k8s from '../imports/k8s.js';
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

/** The settings that say where the ingress controller's traffic comes from. */
export type IngressPeerSettings = 'ingressNamespace' | 'ingressPodLabels' | 'ingressCidrs';

/**
 * The ingress controller as NetworkPolicy peers: its pods (by namespace, and by labels when it shares
 * the namespace), plus the node ranges of a controller on the host network.
 */
export function ingressPeers(platform: Pick<PlatformSettings, IngressPeerSettings>): k8s.NetworkPolicyPeer[] {
  const namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': platform.ingressNamespace } };
  return [
    platform.ingressPodLabels ? { namespaceSelector, podSelector: { matchLabels: { ...platform.ingressPodLabels } } } : { namespaceSelector },
    ...(platform.ingressCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
  ];
}

/**
 * Egress from a check pod to the ingress controller. No port: policies see the pod's port after the
 * Service is resolved, and each controller maps 80/443 to ports of its own (Traefik 8000/8443).
 */
export function egressToIngressController(platform: Pick<PlatformSettings, IngressPeerSettings>): k8s.NetworkPolicyEgressRule {
  return { to: ingressPeers(platform) };
}

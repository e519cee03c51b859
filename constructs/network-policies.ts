import { Construct } from 'constructs';
import * as k8s from '../imports/k8s.js';
import { storeLabels } from './labels.js';
import { namespaceFor, SHARED_NAMES } from './names.js';
import { ingressPeers, type IngressPeerSettings } from './ingress-route.js';
import { DEFAULT_DNS_PEERS, type PlatformSettings } from './spec.js';
import { StoreStep } from './step.js';


/** Props of {@link NetworkPolicies}. */
export interface NetworkPoliciesProps {
  /** The store's slug; the policies go to `store-<slug>`. */
  readonly slug: string;
  /**
   * The platform: its DNS peers, its ingress controller (see ingress-route.ts) and TLS. With TLS on,
   * cert-manager answers the HTTP-01 challenge from a solver pod in the store's namespace, which the
   * ingress controller must reach on {@link ACME_SOLVER_PORT}.
   */
  readonly platform: Pick<PlatformSettings, 'dns' | 'tls' | IngressPeerSettings>;
}

/** Port cert-manager's HTTP-01 solver pods listen on. */
export const ACME_SOLVER_PORT = 8089;
/** Label cert-manager puts on its HTTP-01 solver pods. */
export const ACME_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';

/** A TCP port of a NetworkPolicy rule. */
export const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
/** Selects a namespace by name. */
export const nsSelector = (name: string): k8s.LabelSelector => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/**
 * Step 4: default deny for every pod of the store and DNS egress for all of them. The engine adds its
 * allow-policies as children of this step (`new XxxPolicies(step, ...)`), so every flow a store has is
 * applied in one step, right after the deny.
 */
export class NetworkPolicies extends StoreStep {
  public constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id, {
      name: 'network-policy',
      title: 'Network policies',
      readiness: { kind: 'Applied' },
      timeoutSeconds: 30,
    });
    const dns = props.platform.dns ?? DEFAULT_DNS_PEERS;
    const metadata = (name: string) => ({ name, namespace: namespaceFor(props.slug), labels: storeLabels(props.slug) });

    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: metadata(SHARED_NAMES.policyDefaultDeny),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new k8s.KubeNetworkPolicy(this, 'Dns', {
      metadata: metadata(SHARED_NAMES.policyDns),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { namespaceSelector: nsSelector(dns.namespace), podSelector: { matchLabels: { ...dns.podLabels } } },
              ...dns.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ],
            ports: dns.ports.flatMap((port) => (['UDP', 'TCP'] as const).map((protocol) => ({ protocol, port: k8s.IntOrString.fromNumber(port) }))),
          },
        ],
      },
    });
    if (props.platform.tls.enabled) {
      // without it the default deny keeps the challenge from being answered: no certificate, ever
      new k8s.KubeNetworkPolicy(this, 'AcmeSolver', {
        metadata: metadata(SHARED_NAMES.policyAcmeSolver),
        spec: {
          podSelector: { matchLabels: { [ACME_SOLVER_LABEL]: 'true' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: ingressPeers(props.platform), ports: [tcp(ACME_SOLVER_PORT)] }],
        },
      });
    }
  }
}

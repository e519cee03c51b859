import { Construct } from 'constructs';
import * as k8s from '../imports/k8s.js';
import { storeLabels } from './labels.js';
import { namespaceFor, SHARED_NAMES } from './names.js';
import { StoreStep } from './step.js';

/** Port of the cluster DNS. */
export const DNS_PORT = 53;

/** Props of {@link NetworkPolicies}. */
export interface NetworkPoliciesProps {
  /** The store's slug; the policies go to `store-<slug>`. */
  readonly slug: string;
  /**
   * Namespace and pod labels of the cluster DNS.
   * @default - `kube-system` pods labelled `k8s-app: kube-dns` (CoreDNS in kind and most distributions)
   */
  readonly dns?: { readonly namespace: string; readonly podLabels: Record<string, string> };
  /**
   * With TLS on, cert-manager answers the HTTP-01 challenge from a solver pod in the store's namespace:
   * the ingress controller in this namespace must reach it on {@link ACME_SOLVER_PORT}.
   * @default - no TLS, no solver policy
   */
  readonly acmeSolverFrom?: { readonly ingressNamespace: string };
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
    const dns = props.dns ?? { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
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
            to: [{ namespaceSelector: nsSelector(dns.namespace), podSelector: { matchLabels: dns.podLabels } }],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(DNS_PORT) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(DNS_PORT) },
            ],
          },
        ],
      },
    });
    if (props.acmeSolverFrom) {
      // without it the default deny keeps the challenge from being answered: no certificate, ever
      new k8s.KubeNetworkPolicy(this, 'AcmeSolver', {
        metadata: metadata(SHARED_NAMES.policyAcmeSolver),
        spec: {
          podSelector: { matchLabels: { [ACME_SOLVER_LABEL]: 'true' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: nsSelector(props.acmeSolverFrom.ingressNamespace) }], ports: [tcp(ACME_SOLVER_PORT)] }],
        },
      });
    }
  }
}

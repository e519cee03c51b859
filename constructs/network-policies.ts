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
}

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
  }
}

import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import { componentSelector, DB_CLIENT_LABEL, storeLabels } from '../labels.js';
import { nsSelector, tcp } from '../network-policies.js';
import type { StoreContext } from './context.js';
import { OBJECT_NAMES } from './names.js';

/** Ports the WooCommerce policies open. */
export const PORTS = { mysql: 3306, wordpress: 8080 } as const;

/** Props of {@link WooCommercePolicies}. */
export interface WooCommercePoliciesProps {
  readonly context: StoreContext;
}

/**
 * The flows a WooCommerce store needs on top of the shared default deny and DNS: ingress controller
 * namespace → WordPress :8080; store check → WordPress; DB clients (WordPress, wp-cli jobs) → MySQL
 * :3306; the setup job → internet :80/:443 (it downloads WooCommerce); WordPress → internet :80/:443
 * when the platform allows it. Internet rules are `0.0.0.0/0` except the cluster's ranges, so no
 * store reaches another store or the platform. Add it under the shared NetworkPolicies step.
 */
export class WooCommercePolicies extends Construct {
  public constructor(scope: Construct, id: string, props: WooCommercePoliciesProps) {
    super(scope, id);
    const ctx = props.context;
    for (const cidr of ctx.platform.clusterCidrs) {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) throw new Error(`clusterCidrs entries must be IPv4 CIDRs, got '${cidr}'`);
    }
    const metadata = (name: string) => ({ name, namespace: ctx.namespace, labels: storeLabels(ctx.slug) });
    const pods = (name: string): k8s.LabelSelector => ({ matchLabels: componentSelector(ctx.slug, name) });
    const internet: k8s.NetworkPolicyEgressRule = {
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...ctx.platform.clusterCidrs] } }],
      ports: [tcp(80), tcp(443)],
    };

    new k8s.KubeNetworkPolicy(this, 'MySql', {
      metadata: metadata(OBJECT_NAMES.policyMySql),
      spec: {
        podSelector: pods(OBJECT_NAMES.mysql),
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { [DB_CLIENT_LABEL]: 'true' } } }], ports: [tcp(PORTS.mysql)] }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'DbClients', {
      metadata: metadata(OBJECT_NAMES.policyDbClients),
      spec: {
        podSelector: { matchLabels: { [DB_CLIENT_LABEL]: 'true' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: pods(OBJECT_NAMES.mysql) }], ports: [tcp(PORTS.mysql)] }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'WordPress', {
      metadata: metadata(OBJECT_NAMES.policyWordPress),
      spec: {
        podSelector: pods(OBJECT_NAMES.wordpress),
        policyTypes: ctx.platform.allowInternetEgress ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: nsSelector(ctx.platform.ingressNamespace) }, { podSelector: pods(OBJECT_NAMES.storeCheckJob) }],
            ports: [tcp(PORTS.wordpress)],
          },
        ],
        ...(ctx.platform.allowInternetEgress ? { egress: [internet] } : {}),
      },
    });
    new k8s.KubeNetworkPolicy(this, 'Setup', {
      metadata: metadata(OBJECT_NAMES.policySetup),
      spec: { podSelector: pods(OBJECT_NAMES.setupJob), policyTypes: ['Egress'], egress: [internet] },
    });
    new k8s.KubeNetworkPolicy(this, 'StoreCheck', {
      metadata: metadata(OBJECT_NAMES.policyStoreCheck),
      spec: {
        podSelector: pods(OBJECT_NAMES.storeCheckJob),
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: pods(OBJECT_NAMES.wordpress) }], ports: [tcp(PORTS.wordpress)] }],
      },
    });
  }
}

import type { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import { componentSelector, DB_CLIENT_LABEL, storeLabels } from '../labels.js';
import { egressToIngressController, ingressPeers } from '../ingress-route.js';
import { tcp } from '../network-policies.js';
import type { StoreContext } from './context.js';
import { OBJECT_NAMES } from './names.js';
import { mailEgress } from './mail.js';

// Each WooCommerce workload brings its own allow-policy and adds it to the shared NetworkPolicies step
// (default deny + DNS), so every flow is applied in that step, right after the deny:
// ingress controller namespace and WP-Cron runs -> WordPress :8080; store check -> the ingress controller; DB clients (WordPress,
// wp-cli jobs) -> MySQL :3306; the setup job -> internet :80/:443 (it downloads WooCommerce);
// WordPress -> internet :80/:443 when the platform allows it.

/** Ports the WooCommerce policies open. */
export const PORTS = { mysql: 3306, wordpress: 8080 } as const;

type Policy = Pick<k8s.KubeNetworkPolicyProps, 'spec'>;

function allow(step: Construct, id: string, ctx: StoreContext, name: string, policy: Policy): void {
  new k8s.KubeNetworkPolicy(step, id, { metadata: { name, namespace: ctx.namespace, labels: storeLabels(ctx.slug) }, ...policy });
}

const pods = (ctx: StoreContext, name: string): k8s.LabelSelector => ({ matchLabels: componentSelector(ctx.slug, name) });

const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*\/\d{1,3}$/;

/**
 * Internet egress on 80/443, both address families: `0.0.0.0/0` except the cluster's IPv4 ranges and
 * `::/0` except its IPv6 ones (each `except` must lie inside its block), so no store reaches another
 * store or the platform through it, on a dual-stack cluster too.
 */
export function internetEgress(ctx: StoreContext): k8s.NetworkPolicyEgressRule {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const cidr of ctx.platform.clusterCidrs) {
    if (IPV4_CIDR.test(cidr)) v4.push(cidr);
    else if (IPV6_CIDR.test(cidr)) v6.push(cidr);
    else throw new Error(`clusterCidrs entries must be IPv4 or IPv6 CIDRs, got '${cidr}'`);
  }
  return {
    to: [{ ipBlock: { cidr: '0.0.0.0/0', except: v4 } }, { ipBlock: { cidr: '::/0', except: v6 } }],
    ports: [tcp(80), tcp(443)],
  };
}

/** MySQL: only DB clients reach it, and DB clients may reach it. */
export function allowMySql(step: Construct, ctx: StoreContext): void {
  allow(step, 'MySql', ctx, OBJECT_NAMES.policyMySql, {
    spec: {
      podSelector: pods(ctx, OBJECT_NAMES.mysql),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { [DB_CLIENT_LABEL]: 'true' } } }], ports: [tcp(PORTS.mysql)] }],
    },
  });
  allow(step, 'DbClients', ctx, OBJECT_NAMES.policyDbClients, {
    spec: {
      podSelector: { matchLabels: { [DB_CLIENT_LABEL]: 'true' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: pods(ctx, OBJECT_NAMES.mysql) }], ports: [tcp(PORTS.mysql)] }],
    },
  });
}

/**
 * WordPress: from the ingress controller and the WP-Cron runs; to the internet on 80/443 when the
 * platform allows it, and to the platform's SMTP relay (its addresses, its port) when there is one.
 */
export function allowWordPress(step: Construct, ctx: StoreContext): void {
  const mail = mailEgress(ctx.platform);
  const egress = [...(ctx.platform.allowInternetEgress ? [internetEgress(ctx)] : []), ...(mail ? [mail] : [])];
  allow(step, 'WordPress', ctx, OBJECT_NAMES.policyWordPress, {
    spec: {
      podSelector: pods(ctx, OBJECT_NAMES.wordpress),
      policyTypes: egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: [
        {
          from: [...ingressPeers(ctx.platform), { podSelector: pods(ctx, OBJECT_NAMES.cronJob) }],
          ports: [tcp(PORTS.wordpress)],
        },
      ],
      ...(egress.length > 0 ? { egress } : {}),
    },
  });
}

/** The setup job downloads WooCommerce: internet egress. */
export function allowSetup(step: Construct, ctx: StoreContext): void {
  allow(step, 'Setup', ctx, OBJECT_NAMES.policySetup, {
    spec: { podSelector: pods(ctx, OBJECT_NAMES.setupJob), policyTypes: ['Egress'], egress: [internetEgress(ctx)] },
  });
}

/** The store check talks to the ingress controller only (which forwards to WordPress). */
export function allowStoreCheck(step: Construct, ctx: StoreContext): void {
  allow(step, 'StoreCheck', ctx, OBJECT_NAMES.policyStoreCheck, {
    spec: {
      podSelector: pods(ctx, OBJECT_NAMES.storeCheckJob),
      policyTypes: ['Egress'],
      egress: [egressToIngressController(ctx.platform)],
    },
  });
}

/** The WP-Cron runs talk to WordPress only. */
export function allowCron(step: Construct, ctx: StoreContext): void {
  allow(step, 'Cron', ctx, OBJECT_NAMES.policyCron, {
    spec: {
      podSelector: pods(ctx, OBJECT_NAMES.cronJob),
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: pods(ctx, OBJECT_NAMES.wordpress) }], ports: [tcp(PORTS.wordpress)] }],
    },
  });
}

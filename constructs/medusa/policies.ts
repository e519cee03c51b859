import type { Construct } from 'constructs';
import * as k8s from '../../imports/k8s.js';
import { componentSelector, DB_CLIENT_LABEL, storeLabels } from '../labels.js';
import { egressToIngressController, ingressPeers } from '../ingress-route.js';
import { tcp } from '../network-policies.js';
import type { MedusaContext } from './context.js';
import { MEDUSA_NAMES, MEDUSA_PORTS } from './names.js';

// Each Medusa workload adds its allow-policy to the shared NetworkPolicies step (default deny + DNS):
// backend clients (server, worker, setup and reset Jobs; marked with the db-client label) ->
// PostgreSQL :5432 and Redis :6379, and nothing else reaches those two; the ingress controller's
// namespace -> the server :9000; the store check -> the ingress controller only, so its order
// takes the shopper's path.

type Policy = Pick<k8s.KubeNetworkPolicyProps, 'spec'>;

function allow(step: Construct, id: string, ctx: MedusaContext, name: string, policy: Policy): void {
  new k8s.KubeNetworkPolicy(step, id, { metadata: { name, namespace: ctx.namespace, labels: storeLabels(ctx.slug) }, ...policy });
}

const pods = (ctx: MedusaContext, name: string): k8s.LabelSelector => ({ matchLabels: componentSelector(ctx.slug, name) });
const backendClients: k8s.LabelSelector = { matchLabels: { [DB_CLIENT_LABEL]: 'true' } };

/** PostgreSQL: from backend clients only; and backend clients may reach PostgreSQL and Redis. */
export function allowPostgres(step: Construct, ctx: MedusaContext): void {
  allow(step, 'Postgres', ctx, MEDUSA_NAMES.policyPostgres, {
    spec: {
      podSelector: pods(ctx, MEDUSA_NAMES.postgres),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: backendClients }], ports: [tcp(MEDUSA_PORTS.postgres)] }],
    },
  });
  allow(step, 'BackendClients', ctx, MEDUSA_NAMES.policyBackendClients, {
    spec: {
      podSelector: backendClients,
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: pods(ctx, MEDUSA_NAMES.postgres) }], ports: [tcp(MEDUSA_PORTS.postgres)] },
        { to: [{ podSelector: pods(ctx, MEDUSA_NAMES.redis) }], ports: [tcp(MEDUSA_PORTS.redis)] },
      ],
    },
  });
}

/** Redis: from backend clients only. */
export function allowRedis(step: Construct, ctx: MedusaContext): void {
  allow(step, 'Redis', ctx, MEDUSA_NAMES.policyRedis, {
    spec: {
      podSelector: pods(ctx, MEDUSA_NAMES.redis),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: backendClients }], ports: [tcp(MEDUSA_PORTS.redis)] }],
    },
  });
}

/** The server: from the ingress controller only (the store check comes through it). */
export function allowServer(step: Construct, ctx: MedusaContext): void {
  allow(step, 'Server', ctx, MEDUSA_NAMES.policyServer, {
    spec: {
      podSelector: pods(ctx, MEDUSA_NAMES.server),
      policyTypes: ['Ingress'],
      ingress: [{
        from: ingressPeers(ctx.platform),
        ports: [tcp(MEDUSA_PORTS.server)],
      }],
    },
  });
}

/** The store check talks to the ingress controller only (which forwards to the server). */
export function allowStoreCheck(step: Construct, ctx: MedusaContext): void {
  allow(step, 'StoreCheck', ctx, MEDUSA_NAMES.policyStoreCheck, {
    spec: {
      podSelector: pods(ctx, MEDUSA_NAMES.storeCheckJob),
      policyTypes: ['Egress'],
      egress: [egressToIngressController(ctx.platform)],
    },
  });
}

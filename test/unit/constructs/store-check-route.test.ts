import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, ENGINES, type Engine, type KubeObject } from '../../../constructs/index.js';
import { allObjects, fakeSecrets, medusaSecrets, podTemplates, synth, type PodTemplate } from './fixtures.js';

// Both engines' store checks take a shopper's path: the store's own host, sent to the ingress
// controller's Service, never a workload's Service; no policy lets the check pod past the controller.
// WooCommerce's check pod also removes its test order with wp-cli, so it is a database client too.

type Policy = KubeObject & { spec: { podSelector: { matchLabels?: Record<string, string> }; ingress?: { from?: unknown[] }[]; egress?: unknown[] } };
const platform = { ingressNamespace: 'edge', ingressService: 'edge-proxy' };

function store(engine: Engine, tls = false): { objects: KubeObject[]; check: PodTemplate } {
  const objects = allObjects(synth({ engine }, { ...platform, tls: { ...DEFAULT_PLATFORM_SETTINGS.tls, enabled: tls } }, engine === 'medusa' ? medusaSecrets() : fakeSecrets()));
  return { objects, check: podTemplates(objects).find((t) => t.owner.metadata.name === 'store-check')! };
}
/** The container that talks to the store: WooCommerce's `checkout` init container, Medusa's only one. */
const shopper = (t: PodTemplate) => [...(t.spec.initContainers ?? []), ...t.spec.containers].find((c) => c.name === 'checkout' || c.name === 'check')!;
const envOf = (t: PodTemplate) => Object.fromEntries((shopper(t).env ?? []).map((e) => [e.name, e.value]));
const matches = (selector: { matchLabels?: Record<string, string> }, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

describe.each(ENGINES)('the %s store check', (engine) => {
  it('sends the store host to the ingress controller Service named by the platform', () => {
    const env = envOf(store(engine).check);
    const target = engine === 'medusa' ? env.CONNECT_URL : env.INGRESS_CONTROLLER;
    expect(target).toMatch(/^(http:\/\/)?edge-proxy\.edge\.svc$/);
    expect(engine === 'medusa' ? env.STORE_HOST : env.STORE_URL).toMatch(/^(http:\/\/)?acme\.127\.0\.0\.1\.nip\.io$/);
  });

  it('speaks https to the controller when TLS is on, so the store certificate is checked', () => {
    const env = envOf(store(engine, true).check);
    expect(engine === 'medusa' ? env.CONNECT_URL : env.STORE_URL).toMatch(/^https:\/\//);
  });

  it(engine === 'woocommerce'
    ? 'may reach the ingress controller namespace and (to remove its order) the database only, and no workload admits it directly'
    : 'may reach the ingress controller namespace only, and no workload admits it directly', () => {
    const { objects, check } = store(engine);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as Policy[];
    const egress = policies.filter((p) => matches(p.spec.podSelector, check.labels) && p.spec.egress && p.metadata.name !== 'allow-dns');
    const toController = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }] };
    const toDatabase = { to: [{ podSelector: { matchLabels: { 'store-platform.io/store-id': 'acme', 'app.kubernetes.io/name': 'mysql' } } }], ports: [{ port: 3306, protocol: 'TCP' }] };
    expect(egress.flatMap((p) => p.spec.egress)).toEqual(engine === 'woocommerce' ? expect.arrayContaining([toController, toDatabase]) : [toController]);
    expect(egress.flatMap((p) => p.spec.egress)).toHaveLength(engine === 'woocommerce' ? 2 : 1);
    const admitsCheck = policies.flatMap((p) => p.spec.ingress ?? []).flatMap((r) => r.from ?? [])
      .filter((peer) => JSON.stringify(peer).includes('store-check'));
    expect(admitsCheck).toEqual([]);
  });
});

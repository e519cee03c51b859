import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, ENGINES, type Engine, type KubeObject, type PlatformSettings } from '../../../constructs/index.js';
import { loadConfig, platformSettings } from '../../../src/config.js';
import { allObjects, fakeSecrets, medusaSecrets, synth } from './fixtures.js';

// The policies follow the cluster they run in: its DNS (CoreDNS, NodeLocal DNSCache, OpenShift's
// dns pods on 5353) and its ingress controller (own namespace, shared namespace, host network).

type Policy = KubeObject & { spec: { ingress?: { from?: unknown[] }[]; egress?: { to?: unknown[]; ports?: unknown[] }[] } };
const policiesOf = (engine: Engine, platform: Partial<PlatformSettings>): Map<string, Policy> =>
  new Map((allObjects(synth({ engine }, platform, engine === 'medusa' ? medusaSecrets() : fakeSecrets()))
    .filter((o) => o.kind === 'NetworkPolicy') as Policy[]).map((p) => [p.metadata.name, p]));
const WEB = { woocommerce: 'wordpress', medusa: 'medusa' } as const;
const tls = { ...DEFAULT_PLATFORM_SETTINGS.tls, enabled: true };

describe.each(ENGINES)('%s store policies', (engine) => {
  it('let cert-manager\'s HTTP-01 solver be reached when TLS is on', () => {
    expect(policiesOf(engine, { tls }).has('allow-acme-http01-solver')).toBe(true);
    expect(policiesOf(engine, {}).has('allow-acme-http01-solver')).toBe(false);
  });

  it('open the store only to the ingress controller\'s own pods when it shares its namespace, and to its nodes on the host network', () => {
    const shared = { ingressNamespace: 'kube-system', ingressPodLabels: { 'app.kubernetes.io/name': 'traefik' }, ingressCidrs: ['192.0.2.0/24'], tls };
    const peers = [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } } },
      { ipBlock: { cidr: '192.0.2.0/24' } },
    ];
    const policies = policiesOf(engine, shared);
    expect(policies.get(WEB[engine])!.spec.ingress![0]!.from).toEqual(expect.arrayContaining(peers));
    // no rule admits all of kube-system
    const everyFrom = [...policies.values()].flatMap((p) => p.spec.ingress ?? []).flatMap((r) => r.from ?? []);
    expect(everyFrom).not.toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } });
    expect(policies.get('allow-acme-http01-solver')!.spec.ingress![0]!.from).toEqual(peers);
    expect(policies.get('store-check')!.spec.egress).toEqual([{ to: peers }]);
  });

  it('send DNS where the platform says: OpenShift\'s dns pods on 5353 and a node-local cache', () => {
    const dns = { namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, ports: [5353], cidrs: ['169.254.20.10/32'] };
    const rule = policiesOf(engine, { dns }).get('allow-dns')!.spec.egress![0]!;
    expect(rule.to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } }, podSelector: { matchLabels: dns.podLabels } },
      { ipBlock: { cidr: '169.254.20.10/32' } },
    ]);
    expect(rule.ports).toEqual([{ protocol: 'UDP', port: 5353 }, { protocol: 'TCP', port: 5353 }]);
  });
});

describe('the portable-policy settings', () => {
  it('come from the environment, with CoreDNS and the whole ingress namespace by default', () => {
    const d = platformSettings(loadConfig({}));
    expect(d.dns).toEqual({ namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, ports: [53], cidrs: [] });
    expect(d.ingressPodLabels).toBeUndefined();
    expect(d.ingressCidrs).toBeUndefined();
    const p = platformSettings(loadConfig({
      DNS_NAMESPACE: 'openshift-dns', DNS_POD_LABELS: 'dns.operator.openshift.io/daemonset-dns=default', DNS_PORTS: '5353', DNS_CIDRS: '169.254.20.10/32',
      INGRESS_POD_LABELS: 'app.kubernetes.io/name=traefik,app.kubernetes.io/instance=traefik-kube-system', INGRESS_CIDRS: '192.0.2.0/24,198.51.100.7/32',
    }));
    expect(p.dns).toEqual({ namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, ports: [5353], cidrs: ['169.254.20.10/32'] });
    expect(p.ingressPodLabels).toEqual({ 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' });
    expect(p.ingressCidrs).toEqual(['192.0.2.0/24', '198.51.100.7/32']);
  });

  it('refuse malformed values, naming the variable', () => {
    expect(() => loadConfig({ DNS_PORTS: '53,dns' })).toThrow(/DNS_PORTS/);
    expect(() => loadConfig({ INGRESS_POD_LABELS: 'traefik' })).toThrow(/INGRESS_POD_LABELS/);
    expect(() => loadConfig({ INGRESS_CIDRS: '192.0.2.0' })).toThrow(/INGRESS_CIDRS/);
  });
});

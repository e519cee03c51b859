import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS } from '../../../constructs/index.js';
import { allObjects, synth } from './fixtures.js';

const solverPolicy = (tls: boolean) =>
  allObjects(synth({}, { tls: { ...DEFAULT_PLATFORM_SETTINGS.tls, enabled: tls } }))
    .find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-acme-http01-solver');

describe('the HTTP-01 solver under the default deny', () => {
  it('lets exactly the ingress controller namespace reach cert-manager solver pods on 8089 when TLS is on', () => {
    expect(solverPolicy(true)?.spec).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': DEFAULT_PLATFORM_SETTINGS.ingressNamespace } } }],
        ports: [{ protocol: 'TCP', port: 8089 }],
      }],
    });
  });

  it('has no such opening without TLS', () => {
    expect(solverPolicy(false)).toBeUndefined();
  });
});

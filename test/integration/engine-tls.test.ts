import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, namespaceFor } from '../../constructs/index.js';
import type { Provisioner } from '../../src/provisioner/index.js';
import { selfSignedCertificate, tlsSecretData } from '../support/certificates.js';
import { harness, waitForEvent, waitForStatus } from './engine-harness.js';

// A store with TLS on is Ready only once its certificate is issued. No cert-manager runs on the simulated
// cluster: the test writes the TLS Secret the way cert-manager does once its ACME order is done, first
// with a certificate for another host (still waiting), then with the store's own (Ready).

const TLS_PLATFORM = { ...DEFAULT_PLATFORM_SETTINGS, tls: { enabled: true, clusterIssuer: 'test-issuer' } };

describe('engine: a TLS store waits for its certificate', () => {
  const h = harness();
  let p: Provisioner;
  beforeAll(async () => {
    p = h.engine({ platform: TLS_PLATFORM }).p;
    await p.start();
  });
  afterAll(() => h.cleanup());

  it('stays in the ingress step, before the store check, until the Secret holds a certificate for its host', async () => {
    const created = await p.create(h.spec(h.name('tls')), { actor: 'test' });
    const namespace = namespaceFor(created.slug);
    const host = new URL(created.storeUrl).host;
    expect(created.storeUrl).toBe(`https://${host}`);
    await waitForEvent(p, created.id, (e) => e.step === 'ingress' && e.phase === 'started', 90_000);

    const writeSecret = async (hosts: string[]) => {
      const body = { metadata: { name: 'wordpress-tls', namespace }, type: 'kubernetes.io/tls', data: tlsSecretData(selfSignedCertificate(hosts)) };
      try {
        await h.kube.core.createNamespacedSecret({ namespace, body });
      } catch {
        await h.kube.core.replaceNamespacedSecret({ name: 'wordpress-tls', namespace, body });
      }
    };
    await writeSecret(['other.example.org']);
    // the certificate check polls every few seconds at most: a wrong certificate has been seen by then
    await new Promise((r) => setTimeout(r, 12_000));
    const waiting = p.get(created.id);
    expect(waiting.status).toBe('Provisioning');
    const steps = p.events(created.id).map((e) => `${e.step}:${e.phase}`);
    expect(steps).not.toContain('ingress:succeeded');
    expect(steps).not.toContain('store-check:started');

    await writeSecret([host]);
    const ready = await waitForStatus(p, created.id, ['Ready', 'Failed'], 60_000);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    const events = p.events(created.id);
    const issued = events.findIndex((e) => e.step === 'ingress' && e.phase === 'succeeded');
    const checked = events.findIndex((e) => e.step === 'store-check' && e.phase === 'started');
    expect(issued).toBeGreaterThan(-1);
    expect(checked).toBeGreaterThan(issued);
  });
});

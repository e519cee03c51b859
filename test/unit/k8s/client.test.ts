import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { Agent as HttpsAgent } from 'node:https';
import { describe, expect, it } from 'vitest';
import { kubeClientsFrom } from '../../../src/k8s/client.js';

function kubeConfig(user: { token?: string; certData?: string } = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', caData: Buffer.from('ca').toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

async function agentFor(kc: KubeConfig): Promise<unknown> {
  const ctx = new RequestContext('https://127.0.0.1:6443/version', HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  return ctx.getAgent();
}

describe('kubeClientsFrom', () => {
  it('reuses one keep-alive TLS agent across requests instead of a new handshake per call', async () => {
    const kc = kubeConfig({ token: 'abc' });
    const plain = [await agentFor(kc), await agentFor(kc)];
    expect(plain[0]).not.toBe(plain[1]); // what the client library does on its own

    kubeClientsFrom(kc);
    const first = await agentFor(kc);
    expect(first).toBeInstanceOf(HttpsAgent);
    expect((first as HttpsAgent & { keepAlive: boolean }).keepAlive).toBe(true);
    expect(await agentFor(kc)).toBe(first);
  });

  it('builds a new agent when the TLS material changes (rotated client certificate)', async () => {
    const kc = kubeConfig({ certData: Buffer.from('cert-1').toString('base64') });
    kubeClientsFrom(kc);
    const before = await agentFor(kc);
    kc.users[0] = { ...kc.users[0]!, certData: Buffer.from('cert-2').toString('base64') };
    expect(await agentFor(kc)).not.toBe(before);
  });
});

import { CoreV1Api, KubernetesObjectApi, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentSelector } from '../../constructs/labels.js';
import { standInImage, imageOverrideEnv } from '../../infra/images/images.js';
import { INGRESS, REAL_NODE, STORAGE_CLASS } from '../../infra/cluster/real-node/index.js';
import { platformSettings, loadConfig } from '../../src/config.js';
import { synthStoreFromSpec } from '../../src/manifests/synth.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { BASE_DOMAIN, execIn, importStandInImage, ON_REAL_NODE, realCluster, realKubeConfig, RESTRICTED_CONTAINER, runOnce, tcpProbe, testNamespace, until, viaIngress, waitForPod } from './support.js';
import { existsSync } from 'node:fs';

// Mail from a WooCommerce store on the real node: the platform runs with an SMTP relay on the bridge (a
// stand-in SMTP server in a pod of its own namespace, plain SMTP on a high port), provisions a
// store, and the store's real WordPress (stand-in image: Debian's WordPress and PHPMailer) sends a mail
// through the platform's must-use plugin, which the stand-in receives. Its policies let WordPress reach
// the relay's address on the relay's port and nothing else on another port, and no other pod of the
// store reach the relay at all. WooCommerce is not installed (no wp-cli here), so the mail is WordPress's
// own wp_mail(), sent from a probe page with WordPress loaded as during its installation.

const RELAY_PORT = 2525;
const OTHER_PORT = 2526;
const FROM = 'shop@stores.real.test';

/**
 * A minimal SMTP server for a pod of the Node stand-in image: the relay on RELAY_PORT (greets, takes
 * one envelope after another, prints each message as one `MAIL {json}` line), a plain greeting on
 * OTHER_PORT (a second service on the same address no store pod may reach).
 */
const RELAY_JS = `
const net = require('net');
net.createServer((s) => {
  let buf = '', inData = false, cur = { from: '', to: [], data: '' };
  const say = (l) => s.write(l + '\\r\\n');
  say('220 relay.real.test ESMTP stand-in');
  s.on('data', (c) => {
    buf += c.toString('utf8');
    let at;
    while ((at = buf.indexOf('\\r\\n')) !== -1) {
      const line = buf.slice(0, at); buf = buf.slice(at + 2);
      if (inData) {
        if (line === '.') { inData = false; console.log('MAIL ' + JSON.stringify(cur)); cur = { from: '', to: [], data: '' }; say('250 2.0.0 queued'); }
        else cur.data += (line.startsWith('..') ? line.slice(1) : line) + '\\n';
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase(), addr = (/<([^>]*)>/.exec(line) || [])[1] || '';
      if (verb === 'EHLO' || verb === 'HELO') say('250 relay.real.test');
      else if (verb === 'MAIL') { cur.from = addr; say('250 2.1.0 ok'); }
      else if (verb === 'RCPT') { cur.to.push(addr); say('250 2.1.5 ok'); }
      else if (verb === 'DATA') { inData = true; say('354 end with .'); }
      else if (verb === 'RSET') { cur = { from: '', to: [], data: '' }; say('250 ok'); }
      else if (verb === 'QUIT') { say('221 bye'); s.end(); }
      else say('502 5.5.2 not implemented');
    }
  });
  s.on('error', () => {});
}).listen(${RELAY_PORT});
net.createServer((s) => s.end('220 not the relay\\r\\n')).listen(${OTHER_PORT});
console.log('relay listening');
`;

describe('mail from a WooCommerce store on the real node (SMTP stand-in on the bridge; WordPress\'s own wp_mail, no WooCommerce here)', () => {
  let relayNs: { name: string; remove: () => Promise<void> } | undefined;
  let relayIp = '';
  let h: ApiHarness;
  let id = '';
  let name = '';
  let namespace = '';
  const core = realKubeConfig().makeApiClient(CoreV1Api);
  const env = {
    ...imageOverrideEnv(), STORAGE_CLASS, STORE_NODE_POOL: `${REAL_NODE.poolLabel}=${REAL_NODE.pool}`,
    INGRESS_CLASS: INGRESS.className, INGRESS_NAMESPACE: INGRESS.namespace, INGRESS_SERVICE: INGRESS.service, BASE_DOMAIN,
  } as const;
  const mail = () => ({ SMTP_HOST: relayIp, SMTP_TLS: 'none', SMTP_FROM: FROM }) as const;
  /** The messages the relay pod has printed so far. */
  const received = async (): Promise<{ from: string; to: string[]; data: string }[]> => {
    const log = await core.readNamespacedPodLog({ name: 'relay', namespace: relayNs!.name, container: 'relay' });
    return log.split('\n').filter((l) => l.startsWith('MAIL ')).map((l) => JSON.parse(l.slice(5)) as { from: string; to: string[]; data: string });
  };

  beforeAll(async () => {
    realCluster();
    for (const image of ['mariadb', 'wordpress', 'wp-cli', 'curl'] as const) {
      if (!existsSync(standInImage(image).archive)) throw new Error(`stand-in image ${image} is not built: bash infra/images/build.sh ${image}`);
    }
    // the relay: a pod on the bridge in a namespace of its own (pod-to-pod packets pass the store's policies;
    // the node's own address would not: traffic to the node is not policed)
    importStandInImage('node');
    relayNs = await testNamespace('relay');
    await core.createNamespacedPod({ namespace: relayNs.name, body: {
      metadata: { name: 'relay', labels: { app: 'relay' } },
      spec: { ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], automountServiceAccountToken: false, restartPolicy: 'Never',
        containers: [{ name: 'relay', image: standInImage('node').ref, imagePullPolicy: 'Never', command: ['node', '-e', RELAY_JS], securityContext: RESTRICTED_CONTAINER,
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } } }] },
    } });
    const running = await waitForPod(core, relayNs.name, 'relay', (p) => p.status?.phase === 'Running' && !!p.status.podIP, 60_000);
    relayIp = running.status!.podIP!;
    h = await startApi({ ...env, ...mail(), SMTP_PORT: RELAY_PORT });
    name = h.name('mail-shop');
    const res = await h.call('POST', '/api/v1/stores', { body: specFor(name, { plan: 'small' }) });
    expect(res.status).toBe(202);
    ({ id, namespace } = (await res.json()) as { id: string; namespace: string });
    await until('WordPress', async () => {
      const events = ((await (await h.call('GET', `/api/v1/stores/${id}/events`)).json()) as { items: { step: string; phase: string }[] }).items;
      return events.some((e) => e.step === 'wordpress' && e.phase === 'succeeded') ? true : undefined;
    }, 300_000);
    // the Ingress step store-setup would have led to, so the probe page is reachable through Traefik
    const spec = specFor(name, { plan: 'small' }) as Parameters<typeof synthStoreFromSpec>[0];
    const ingress = synthStoreFromSpec(spec, platformSettings(loadConfig({ ...env, ...mail(), SMTP_PORT: String(RELAY_PORT) }))).find((s) => s.name === 'ingress');
    for (const obj of ingress!.objects) await KubernetesObjectApi.makeApiClient(realKubeConfig()).create(obj as never);
  }, 420_000);
  afterAll(async () => {
    if (h && id) await h.call('DELETE', `/api/v1/stores/${id}`).catch(() => undefined);
    await h?.close();
    await relayNs?.remove();
  });

  it('lets WordPress reach the relay\'s address on the relay\'s port only, and no other pod of the store reach it', async () => {
    // a probe pod under WordPress's policy (its labels; no pod-template-hash, so no ReplicaSet adopts it)
    const asWordPress = componentSelector(name, 'wordpress');
    // a new pod's egress rules take the policy controller a moment: probe once they are in place
    const probe = (port: number) => `sleep 5; ${tcpProbe(relayIp, port)}`;
    expect((await runOnce(namespace, probe(RELAY_PORT), { labels: asWordPress })).logs.trim()).toBe('OPEN');
    expect((await runOnce(namespace, probe(OTHER_PORT), { labels: asWordPress })).logs.trim()).toBe('REFUSED');
    expect((await runOnce(namespace, probe(RELAY_PORT))).logs.trim()).toBe('REFUSED');
  });

  it('delivers a mail WordPress sends to the relay, from the platform\'s address, through the must-use plugin', async () => {
    const [wp] = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/name=wordpress' })).items as V1Pod[];
    const probe = `<?php
define('WP_INSTALLING', true); // no tables yet (no wp-cli here): load WordPress as its installer does
require __DIR__ . '/wp-load.php';
$error = '';
add_action('wp_mail_failed', function ($e) use (&$error) { $error = $e->get_error_message(); });
$mu = implode(',', wp_get_mu_plugins());
$sent = wp_mail('merchant@example.test', 'store-platform mail check', 'sent through the platform relay');
echo "\\nRESULT:", $sent ? 'sent' : "failed: $error", " MU:", $mu, "\\n";
`;
    await execIn(namespace, wp!.metadata!.name!, 'wordpress', ['sh', '-c', `echo ${Buffer.from(probe).toString('base64')} | base64 -d > /var/www/html/sp-mail.php`]);
    const res = await viaIngress(`${name}.${BASE_DOMAIN}`, '/sp-mail.php', { timeoutMs: 30_000 });
    expect(/RESULT:(.*)$/m.exec(res.body)?.[1]).toMatch(/^sent MU:.*store-platform\.php/);
    await expect.poll(async () => (await received()).length, { timeout: 20_000, interval: 500 }).toBeGreaterThan(0);
    const mail = (await received()).at(-1)!;
    expect(mail.from).toBe(FROM);
    expect(mail.to).toEqual(['merchant@example.test']);
    expect(mail.data).toMatch(/^Subject: store-platform mail check$/m);
    expect(mail.data).toMatch(new RegExp(`^From: .*${FROM.replace('.', '\\.')}`, 'm'));
    // the address WordPress would have used is not valid here (no host in the installer's context): no Reply-To
    expect(mail.data).not.toMatch(/^Reply-To:/m);
  });
});


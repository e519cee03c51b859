import { describe, expect, it } from 'vitest';
import { engineOf, type KubeObject, type MailRelay } from '../../../constructs/index.js';
import { CHECK_ORDER_EMAIL } from '../../../constructs/woocommerce/names.js';
import { muPlugin } from '../../../constructs/woocommerce/scripts/embedded.js';
import { allObjects, podTemplates, synth } from './fixtures.js';

// Mail: the platform's SMTP relay wired into WordPress by a must-use plugin from the store's ConfigMap,
// the credentials copied into the store's own Secret, egress to the relay's addresses and port only.
// (PHPMailer itself runs only on a real cluster: no PHP here.)

const relay: MailRelay = {
  host: 'smtp.example.com', port: 587, tls: 'starttls', from: 'shop@example.com', cidrs: ['192.0.2.25/32'],
  credentials: { username: 'apikey', password: 'relay-secret-0123456789' },
};
type Policy = KubeObject & { spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; egress?: { to?: unknown[]; ports?: { port: number }[] }[] } };
const policies = (objects: KubeObject[]) => objects.filter((o) => o.kind === 'NetworkPolicy') as Policy[];
const wordpressOf = (objects: KubeObject[]) => podTemplates(objects).find((t) => t.owner.metadata.name === 'wordpress')!;
const envOf = (objects: KubeObject[]) => Object.fromEntries(wordpressOf(objects).spec.containers[0]!.env!.map((e) => [e.name, e.value ?? e.valueFrom]));
const MAIL_PORTS = new Set([25, 465, 587, 2525]);

describe('WooCommerce mail', () => {
  it('is off by default: no relay settings, no Secret, no egress on a mail port, and the health says so', () => {
    const objects = allObjects(synth());
    expect(Object.keys(envOf(objects)).filter((k) => k.startsWith('STORE_SMTP_'))).toEqual([]);
    expect(objects.some((o) => o.metadata.name === 'smtp-credentials')).toBe(false);
    const ports = policies(objects).flatMap((p) => p.spec.egress ?? []).flatMap((r) => r.ports ?? []).map((p) => p.port);
    expect(ports.filter((p) => MAIL_PORTS.has(p))).toEqual([]);
    expect(engineOf('woocommerce').mailStatus({})).toMatchObject({ status: 'off', detail: expect.stringMatching(/no SMTP relay is configured \(SMTP_HOST\)/) });
    expect(engineOf('medusa').mailStatus({ mail: relay })).toMatchObject({ status: 'unsupported' });
  });

  it('ships the must-use plugin in the WordPress ConfigMap and mounts it read-only in wp-content/mu-plugins', () => {
    const objects = allObjects(synth());
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'wordpress-apache') as KubeObject & { data: Record<string, string> };
    expect(cm.data['store-platform.php']).toBe(muPlugin);
    const mounts = (wordpressOf(objects).spec.containers[0] as unknown as { volumeMounts: { mountPath: string; subPath?: string; readOnly?: boolean }[] }).volumeMounts;
    expect(mounts).toContainEqual({ name: 'apache-config', mountPath: '/var/www/html/wp-content/mu-plugins/store-platform.php', subPath: 'store-platform.php', readOnly: true });
    // it configures PHPMailer from the container's environment and keeps the check's test order quiet
    expect(muPlugin).toMatch(/add_action\('phpmailer_init'/);
    // the From address is replaced before wp_mail() validates it, not after
    expect(muPlugin).toMatch(/add_filter\('wp_mail_from', static function \(\$chosen\) \{[^}]*return \(string\) getenv\('STORE_SMTP_FROM'\);/);
    for (const v of ['STORE_SMTP_HOST', 'STORE_SMTP_PORT', 'STORE_SMTP_TLS', 'STORE_SMTP_FROM', 'STORE_SMTP_USERNAME', 'STORE_SMTP_PASSWORD']) expect(muPlugin).toContain(`getenv('${v}')`);
    expect(muPlugin).toContain(`'${CHECK_ORDER_EMAIL}'`);
    expect(muPlugin).toMatch(/woocommerce_email_recipient_\{\$store_platform_email\}/);
  });

  it('with a relay: WordPress gets its settings, the credentials only from the store\'s Secret, and the health names it', () => {
    const steps = synth({}, { mail: relay });
    const objects = allObjects(steps);
    expect(envOf(objects)).toMatchObject({
      STORE_SMTP_HOST: 'smtp.example.com', STORE_SMTP_PORT: '587', STORE_SMTP_TLS: 'starttls', STORE_SMTP_FROM: 'shop@example.com',
      STORE_SMTP_USERNAME: { secretKeyRef: { name: 'smtp-credentials', key: 'username' } },
      STORE_SMTP_PASSWORD: { secretKeyRef: { name: 'smtp-credentials', key: 'password' } },
    });
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'smtp-credentials') as KubeObject & { stringData: Record<string, string> };
    expect(secret.stringData).toEqual({ username: 'apikey', password: 'relay-secret-0123456789' });
    expect(steps.find((s) => s.name === 'secrets')!.objects).toContain(secret);
    // the password appears in that Secret and nowhere else
    const others = objects.filter((o) => o !== secret);
    expect(JSON.stringify(others)).not.toContain('relay-secret-0123456789');
    expect(engineOf('woocommerce').mailStatus({ mail: relay })).toEqual({
      status: 'relay', relay: 'smtp.example.com:587 (STARTTLS)', from: 'shop@example.com', detail: expect.stringContaining('SMTP AUTH'),
    });
  });

  it('with a relay: WordPress alone may reach it, on its addresses and port only', () => {
    const objects = allObjects(synth({}, { mail: relay, allowInternetEgress: false }));
    const all = policies(objects);
    const web = all.find((p) => p.metadata.name === 'wordpress')!;
    expect(web.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(web.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '192.0.2.25/32' } }], ports: [{ protocol: 'TCP', port: 587 }] }]);
    const onMailPorts = all.filter((p) => (p.spec.egress ?? []).some((r) => (r.ports ?? []).some((port) => MAIL_PORTS.has(port.port))));
    expect(onMailPorts.map((p) => p.metadata.name)).toEqual(['wordpress']);
    const withInternet = allObjects(synth({}, { mail: relay }));
    const env = Object.fromEntries(Object.entries(envOf(withInternet)).filter(([k]) => k.startsWith('STORE_SMTP_')));
    expect({ policy: policies(withInternet).find((p) => p.metadata.name === 'wordpress'), env }).toMatchSnapshot();
  });

  it('without credentials: no Secret and no AUTH settings', () => {
    const { credentials: _none, ...open } = relay;
    const objects = allObjects(synth({}, { mail: { ...open, tls: 'none', port: 25 } }));
    expect(objects.some((o) => o.metadata.name === 'smtp-credentials')).toBe(false);
    expect(envOf(objects)).not.toHaveProperty('STORE_SMTP_USERNAME');
    expect(envOf(objects)['STORE_SMTP_TLS']).toBe('none');
  });

  it('fails on a relay its policy could not name', () => {
    expect(() => synth({}, { mail: { ...relay, cidrs: [] } })).toThrow(/mail relay needs at least one CIDR: its NetworkPolicy allows addresses, not host names/);
    expect(() => synth({}, { mail: { ...relay, cidrs: ['smtp.example.com'] } })).toThrow(/mail relay cidrs entries must be CIDRs, got 'smtp\.example\.com'/);
    expect(() => synth({}, { mail: { ...relay, from: 'nobody' } })).toThrow(/mail relay from must be an e-mail address, got 'nobody'/);
  });
});

import type * as k8s from '../../imports/k8s.js';
import { tcp } from '../network-policies.js';
import { env, secretEnv } from '../pods.js';
import type { MailRelay, MailStatus, PlatformSettings } from '../spec.js';
import { OBJECT_NAMES } from './names.js';

/** Keys of the `smtp-credentials` Secret (only when the relay takes SMTP AUTH). */
export const SMTP_SECRET_KEYS = { username: 'username', password: 'password' } as const;

/** File name of the must-use plugin (scripts/store-platform.php) in the WordPress ConfigMap and in wp-content/mu-plugins. */
export const MU_PLUGIN_FILE = 'store-platform.php';

/** An IPv4 or IPv6 CIDR. */
const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/** Fails on a relay a store could not use: the constructs' own check of what config.ts parsed. */
export function assertMailRelay(relay: MailRelay): MailRelay {
  if (relay.host === '' || /\s/.test(relay.host)) throw new Error(`mail relay host must be a host name or address, got '${relay.host}'`);
  if (!Number.isInteger(relay.port) || relay.port < 1 || relay.port > 65535) throw new Error(`mail relay port must be 1-65535, got ${relay.port}`);
  if (!/^[^@\s]+@[^@\s]+$/.test(relay.from)) throw new Error(`mail relay from must be an e-mail address, got '${relay.from}'`);
  if (relay.cidrs.length === 0) throw new Error('mail relay needs at least one CIDR: its NetworkPolicy allows addresses, not host names');
  for (const c of relay.cidrs) if (!CIDR.test(c)) throw new Error(`mail relay cidrs entries must be CIDRs, got '${c}'`);
  return relay;
}

/**
 * The WordPress container's view of the relay, read by the must-use plugin: host, port, TLS mode,
 * From address, and the credentials from the store's own Secret. Empty when mail is off.
 */
export function mailEnv(platform: Pick<PlatformSettings, 'mail'>): k8s.EnvVar[] {
  if (!platform.mail) return [];
  const m = assertMailRelay(platform.mail);
  return [
    env('STORE_SMTP_HOST', m.host),
    env('STORE_SMTP_PORT', String(m.port)),
    env('STORE_SMTP_TLS', m.tls),
    env('STORE_SMTP_FROM', m.from),
    ...(m.credentials
      ? [secretEnv('STORE_SMTP_USERNAME', OBJECT_NAMES.smtpSecret, SMTP_SECRET_KEYS.username), secretEnv('STORE_SMTP_PASSWORD', OBJECT_NAMES.smtpSecret, SMTP_SECRET_KEYS.password)]
      : []),
  ];
}

/** WordPress's egress to the relay: its addresses, its port. Undefined when mail is off. */
export function mailEgress(platform: Pick<PlatformSettings, 'mail'>): k8s.NetworkPolicyEgressRule | undefined {
  if (!platform.mail) return undefined;
  const m = assertMailRelay(platform.mail);
  return { to: m.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(m.port)] };
}

/** The `mail` entry of a WooCommerce store's health. */
export function wooCommerceMailStatus(platform: Pick<PlatformSettings, 'mail'>): MailStatus {
  if (!platform.mail) {
    return { status: 'off', detail: 'no SMTP relay is configured (SMTP_HOST): the store sends no mail, order e-mails and password resets included' };
  }
  const m = platform.mail;
  const mode = { starttls: 'STARTTLS', tls: 'TLS', none: 'no TLS' }[m.tls];
  return {
    status: 'relay',
    relay: `${m.host}:${m.port} (${mode})`,
    from: m.from,
    detail: `mail goes through the platform's SMTP relay${m.credentials ? ' with SMTP AUTH' : ''}; stores get a change of relay when they are next applied`,
  };
}

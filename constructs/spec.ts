import { z } from 'zod';
import { namespaceFor } from './names.js';
import { PLANS } from './plans.js';
import { DEFAULT_IMAGES, type DatabaseEngine, type StoreImages } from './images.js';
import type { ReleaseCatalogue } from './releases.js';

/** RFC 1123 label: lowercase alphanumerics and '-', starting and ending alphanumeric. */
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/**
 * RFC 1123 host name with at least two labels, each at most 63 characters, 253 in all, no trailing dot;
 * the last label has a letter and is no hex number (`0x7f`), so no IPv4 address in any of the forms URL
 * parsers accept (`127.0.0.1`, `127.1`, `1.0x7f`) passes, and ':' never does (IPv6).
 */
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+(?=[a-z0-9-]*[a-z])(?!0x[0-9a-f]*$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Control, lone-surrogate, line/paragraph-separator and bidi-override characters. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

/** ISO 4217 codes of the currencies in use, from the runtime's own ICU data (no hand-written list). */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** WordPress's `wp_users.user_email` column is VARCHAR(100). */
const MAX_EMAIL_LENGTH = 100;

/** Engines the platform knows; see `engines` for which can be provisioned. */
export const ENGINES = ['woocommerce', 'medusa'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * What a merchant asks for. Shared with the API (`POST /stores` body), so it is strict:
 * unknown fields are rejected rather than silently dropped.
 */
export const StoreSpec = z
  .object({
    /** Becomes the slug: namespace `store-<name>` and host `<name>.<baseDomain>`. */
    name: z
      .string()
      .min(3, 'name must be at least 3 characters')
      .max(40, 'name must be at most 40 characters')
      .regex(RFC1123_LABEL, 'name must be lowercase letters, digits and "-", starting and ending with a letter or digit'),
    engine: z.enum(ENGINES),
    plan: z.enum(PLANS),
    adminEmail: z.email().max(MAX_EMAIL_LENGTH, `adminEmail must be at most ${MAX_EMAIL_LENGTH} characters (WordPress's user_email column)`),
    /** Serve the store on this host instead of `<name>.<baseDomain>`. */
    customDomain: z.string().toLowerCase().regex(HOSTNAME, 'customDomain must be a host name like shop.example.com').optional(),
    /** Printable text: no control, line-separator, lone-surrogate or bidi-override characters. */
    title: z
      .string()
      .trim()
      .min(1)
      .max(100)
      // a refinement, not a pattern: OpenAPI tools cannot generate from Unicode property classes
      .refine((t) => !UNPRINTABLE.test(t), 'title must be printable text without control characters'),
    /** ISO 4217 code of a currency in use (not a fund or metal code such as XAU). */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code like USD', abort: true })
      .refine((c) => CURRENCIES.has(c), 'currency must be an ISO 4217 code of a currency in use, like USD or EUR')
      .default('USD'),
  })
  .strict();
export type StoreSpec = z.infer<typeof StoreSpec>;

/** What a merchant sends to create a store: the {@link StoreSpec} with `title` optional (see {@link defaultTitle}). */
export const CreateStoreSpec = StoreSpec.extend({
  title: StoreSpec.shape.title.optional().describe('Default: the name in title case (`acme-shop` becomes `Acme Shop`)'),
}).strict();
export type CreateStoreSpec = z.infer<typeof CreateStoreSpec>;

/** The title of a store created without one: its name's words, capitalised (`acme-shop` -> `Acme Shop`). */
export function defaultTitle(name: string): string {
  return name.split('-').filter((w) => w !== '').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

/**
 * Namespaces no store's `store-<name>` may be when RESERVED_NAMESPACES is not set: the cluster's own
 * and the platform's (its chart installs in `store-platform`). `prefix*` covers every name starting so.
 */
export const DEFAULT_RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-*', 'store-platform', 'store-platform-*'];

/** Why the store's namespace would collide with a reserved one, or undefined when it would not. */
export function reservedNamespaceViolation(name: string, reserved: readonly string[]): string | undefined {
  const namespace = namespaceFor(name);
  const hit = reserved.find((p) => (p.endsWith('*') ? namespace.startsWith(p.slice(0, -1)) : namespace === p));
  return hit === undefined ? undefined : `the name '${name}' gives the namespace '${namespace}', which is reserved (${hit})`;
}

/** Parses the spec, failing with one plain Error that lists every issue. */
export function parseSpec(spec: unknown): StoreSpec {
  const parsed = StoreSpec.safeParse(spec);
  if (!parsed.success) throw new Error(`invalid store spec: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  return parsed.data;
}

/** The eight WordPress keys and salts (wp-config.php `AUTH_KEY` ... `NONCE_SALT`). */
export interface WordPressSalts {
  readonly authKey: string;
  readonly secureAuthKey: string;
  readonly loggedInKey: string;
  readonly nonceKey: string;
  readonly authSalt: string;
  readonly secureAuthSalt: string;
  readonly loggedInSalt: string;
  readonly nonceSalt: string;
}

/** wp-config.php constant names, keyed like {@link WordPressSalts}. */
export const SALT_CONSTANTS: Readonly<Record<keyof WordPressSalts, string>> = {
  authKey: 'AUTH_KEY',
  secureAuthKey: 'SECURE_AUTH_KEY',
  loggedInKey: 'LOGGED_IN_KEY',
  nonceKey: 'NONCE_KEY',
  authSalt: 'AUTH_SALT',
  secureAuthSalt: 'SECURE_AUTH_SALT',
  loggedInSalt: 'LOGGED_IN_SALT',
  nonceSalt: 'NONCE_SALT',
};

/**
 * Secret inputs of a store. Generated by the caller (src/manifests/secrets.ts) with
 * `crypto.randomBytes`; the constructs never draw random numbers.
 */
export interface StoreSecrets {
  readonly dbRootPassword: string;
  /** Password of the `wordpress` MySQL user. */
  readonly dbPassword: string;
  /** Password of the store's administrator (WordPress `admin`, Medusa's admin user). */
  readonly adminPassword: string;
  /** WooCommerce: the wp-config keys and salts. @default - none (other engines) */
  readonly salts?: WordPressSalts;
  /** Medusa: the JWT and session-cookie signing secrets. @default - none (other engines) */
  readonly signing?: SigningSecrets;
}

/** Signing secrets of an engine that issues its own tokens and session cookies (Medusa). */
export interface SigningSecrets {
  readonly jwtSecret: string;
  readonly cookieSecret: string;
}

/** Postal address the setup job gives WooCommerce. */
export interface StoreAddress {
  readonly line1: string;
  readonly city: string;
  readonly postcode: string;
  /** WooCommerce `country:state` code, e.g. `US:CA`. */
  readonly country: string;
}

/** Cluster-wide settings of the platform (from config), the same for every store. */
export interface PlatformSettings {
  /** Stores are served on `<slug>.<baseDomain>` unless they have a custom domain. */
  readonly baseDomain: string;
  /** The platform's own host; no store may claim it. @default - none */
  readonly platformHost?: string;
  /** Hosts no store may claim; see {@link DEFAULT_RESERVED_HOSTS}. @default DEFAULT_RESERVED_HOSTS */
  readonly reservedHosts?: readonly string[];
  readonly ingressClassName: string;
  /** Namespace of the ingress controller: the only source allowed to reach WordPress. */
  readonly ingressNamespace: string;
  /**
   * The ingress controller's Service in {@link ingressNamespace} (ports 80 and 443): the store check
   * reaches the store's host through it, as a shopper's browser does, with no external DNS.
   */
  readonly ingressService: string;
  /**
   * Labels of the ingress controller's pods in {@link ingressNamespace}, so a shared namespace (k3s runs
   * Traefik in `kube-system`) does not open stores to all of it. @default - every pod of the namespace
   */
  readonly ingressPodLabels?: Readonly<Record<string, string>>;
  /** Source ranges of an ingress controller on the host network (its nodes' addresses). @default - none */
  readonly ingressCidrs?: readonly string[];
  /** The cluster DNS every store pod may query. @default DEFAULT_DNS_PEERS */
  readonly dns?: DnsPeers;
  readonly tls: {
    readonly enabled: boolean;
    /** cert-manager ClusterIssuer named by the Ingress annotation. */
    readonly clusterIssuer: string;
  };
  /**
   * Pod, service and node ranges (plus link-local, for cloud metadata endpoints), IPv4 and IPv6, excepted
   * from the internet egress rule, so a store can never reach another store or the platform through it.
   */
  readonly clusterCidrs: readonly string[];
  /** Let WordPress reach the internet on 80/443 (plugin updates, payment gateways). */
  readonly allowInternetEgress: boolean;
  /** StorageClass of the store's volumes. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * A dedicated node pool for store pods: they select nodes labelled `key=value` and tolerate the
   * `key=value:NoSchedule` taint that keeps other pods off those nodes.
   * @default - any schedulable node
   */
  readonly nodePool?: NodePool;
  /** WooCommerce plugin version installed by the setup job (from wordpress.org). */
  readonly woocommerceVersion: string;
  /**
   * The SMTP relay stores send mail through (order e-mails, password resets).
   * @default - no mail: a store's health says so, and WordPress's mail calls fail
   */
  readonly mail?: MailRelay;
  readonly images: StoreImages;
  /** The operator's release catalogue (constructs/releases.ts). @default - each engine's base release only */
  readonly releases?: ReleaseCatalogue;
  /**
   * The database server family new WooCommerce stores get; `images.mysql` is its image. A store keeps the
   * family it was created with (neither server opens the other's data directory).
   * @default DEFAULT_DATABASE_ENGINE
   */
  readonly databaseEngine?: DatabaseEngine;
  readonly storeAddress: StoreAddress;
}

/** Where a store's pods may send DNS queries: the cluster DNS pods and, for a node-local cache, addresses. */
export interface DnsPeers {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** The pods' ports, after the Service (OpenShift's DNS pods listen on 5353). */
  readonly ports: readonly number[];
  /** Addresses outside the pod network, e.g. NodeLocal DNSCache's `169.254.20.10/32`. */
  readonly cidrs: readonly string[];
}

/** CoreDNS as kind, k3s, kubeadm and most distributions run it. */
export const DEFAULT_DNS_PEERS: DnsPeers = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, ports: [53], cidrs: [] };

/** How a store talks to its SMTP relay: STARTTLS (usually port 587), TLS from the start (465), or plain (a trusted relay). */
export const MAIL_TLS_MODES = ['starttls', 'tls', 'none'] as const;
export type MailTls = (typeof MAIL_TLS_MODES)[number];

/** The platform's SMTP relay: one for every store. */
export interface MailRelay {
  /** Host name or address WordPress connects to. */
  readonly host: string;
  readonly port: number;
  readonly tls: MailTls;
  /** Envelope sender and From address of every mail (the relay's SPF and DKIM must cover it). */
  readonly from: string;
  /**
   * The relay's addresses: WordPress may reach these, on {@link port} only (a NetworkPolicy names
   * addresses, never host names).
   */
  readonly cidrs: readonly string[];
  /**
   * SMTP AUTH credentials, copied into each store's `smtp-credentials` Secret and read from it.
   * @default - no authentication (a relay that trusts the cluster's addresses)
   */
  readonly credentials?: { readonly username: string; readonly password: string };
}

/** What a store's health says about mail. */
export interface MailStatus {
  /** `relay`: mail goes to the platform's relay; `off`: no relay is configured; `unsupported`: the engine sends none. */
  readonly status: 'relay' | 'off' | 'unsupported';
  /** `host:port (mode)` of the relay. @default - none */
  readonly relay?: string;
  /** The From address. @default - none */
  readonly from?: string;
  /** One sentence a merchant or operator can act on. */
  readonly detail: string;
}

/** A node label (and taint of the same key and value) that store pods are placed by. */
export interface NodePool {
  readonly key: string;
  readonly value: string;
}

/** Defaults suited to the simulated cluster and a local kind cluster. */
export const DEFAULT_PLATFORM_SETTINGS: PlatformSettings = {
  baseDomain: '127.0.0.1.nip.io',
  ingressClassName: 'nginx',
  ingressNamespace: 'ingress-nginx',
  ingressService: 'ingress-nginx-controller',
  tls: { enabled: false, clusterIssuer: 'letsencrypt' },
  clusterCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'],
  allowInternetEgress: true,
  woocommerceVersion: '11.2.0',
  images: DEFAULT_IMAGES,
  storeAddress: { line1: '1 Market Street', city: 'San Francisco', postcode: '94105', country: 'US:CA' },
};

/** Host the store is served on: its custom domain, else `<name>.<baseDomain>`. */
export function storeHost(spec: Pick<StoreSpec, 'name' | 'customDomain'>, platform: Pick<PlatformSettings, 'baseDomain'>): string {
  return spec.customDomain ?? `${spec.name}.${platform.baseDomain}`;
}

/** Host names no store may claim: the platform's own and in-cluster or metadata names. */
export type HostPolicy = Pick<PlatformSettings, 'baseDomain' | 'platformHost' | 'reservedHosts'>;

/** Reserved when RESERVED_HOSTS is not set: the cluster's service names, metadata endpoints, loopback. */
export const DEFAULT_RESERVED_HOSTS: readonly string[] = [
  'kubernetes.default.svc', '*.svc', '*.cluster.local', 'metadata.google.internal', '*.internal', 'localhost', '*.localhost',
];

const matchesHost = (host: string, pattern: string): boolean =>
  pattern.startsWith('*.') ? host === pattern.slice(2) || host.endsWith(pattern.slice(1)) : host === pattern;

/**
 * Why the store may not be served on its custom domain, or undefined when it may: the base domain, a
 * name under it other than the store's own default, the platform's host and the reserved hosts are
 * refused, so a store can never take another tenant's (or a future store's) host or an in-cluster name.
 */
export function customDomainViolation(spec: Pick<StoreSpec, 'name' | 'customDomain'>, policy: HostPolicy): string | undefined {
  const host = spec.customDomain;
  if (host === undefined) return undefined;
  const base = policy.baseDomain.toLowerCase();
  if (host === base) return `'${host}' is the platform's base domain`;
  if (host.endsWith(`.${base}`) && host !== `${spec.name}.${base}`) {
    return `'${host}' is under the base domain ${base}; only the store's own default host ${spec.name}.${base} is`;
  }
  if (policy.platformHost !== undefined && host === policy.platformHost.toLowerCase()) return `'${host}' is the platform's own host`;
  const reserved = (policy.reservedHosts ?? DEFAULT_RESERVED_HOSTS).find((p) => matchesHost(host, p.toLowerCase()));
  if (reserved !== undefined) return `'${host}' is reserved (${reserved})`;
  return undefined;
}

/** `https://<host>` when TLS is enabled, else `http://<host>`. */
export function storeUrl(spec: Pick<StoreSpec, 'name' | 'customDomain'>, platform: Pick<PlatformSettings, 'baseDomain' | 'tls'>): string {
  return `${platform.tls.enabled ? 'https' : 'http'}://${storeHost(spec, platform)}`;
}

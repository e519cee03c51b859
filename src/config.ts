import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  DATABASE_IMAGES, DEFAULT_BACKUP_IMAGE, DEFAULT_DATABASE_ENGINE, DEFAULT_DNS_PEERS, DEFAULT_IMAGES, DEFAULT_PLATFORM_SETTINGS, DEFAULT_RESERVED_HOSTS,
  MAIL_TLS_MODES, assertTarget, catalogueProblems, engineAvailable, engineOf, imagesWithoutDigest, isDigestPinned,
  type BackupEgress, type BackupTarget, type MailRelay, type PlatformSettings, type ReleaseCatalogue, type StoreImages,
} from '../constructs/index.js';

// The only reader of process.env. Every variable is documented in .env.example and the README.

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z.string().min(1).optional();
const cidrList = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}(,\d{1,3}(\.\d{1,3}){3}\/\d{1,2})*$/, 'comma-separated IPv4 CIDRs such as 10.0.0.0/8,172.16.0.0/12');
const cidr46 = String.raw`(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]*:[0-9a-fA-F:]*\/\d{1,3})`;
const cidrList46 = z.string().regex(new RegExp(`^${cidr46}(,${cidr46})*$`), 'comma-separated IPv4 or IPv6 CIDRs such as 10.0.0.0/8,fc00::/7');
const imageRef = z.string().regex(/[:@]/, 'pin a tag or digest');
const labelList = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9./_-]*=[a-zA-Z0-9._-]*(,[a-zA-Z0-9][a-zA-Z0-9./_-]*=[a-zA-Z0-9._-]*)*$/, 'comma-separated labels such as app.kubernetes.io/name=traefik');

const releaseCatalogue = z.record(z.string(), z.object({
  current: z.string().min(1).optional(),
  releases: z.array(z.object({
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+_-]{0,99}$/, 'a version such as 2.21.2'),
    images: z.record(z.string(), imageRef).optional(),
    woocommerceVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version such as 11.2.0').optional(),
    upgradesFrom: z.array(z.string().min(1)).optional(),
  }).strict()),
}).strict())

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_PATH: z.string().min(1).default('store-platform.db'),
  /** Unset: the default kubeconfig location, or the in-cluster service account. */
  KUBECONFIG: optionalString,
  BASE_DOMAIN: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a DNS name such as 127.0.0.1.nip.io').default('127.0.0.1.nip.io'),
  /** The platform's own host (API and dashboard); no store may claim it as its custom domain. */
  PLATFORM_HOST: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a host name such as platform.example.com').optional(),
  /** Comma-separated hosts no store may claim (`*.suffix` also covers the suffix); unset: in-cluster, metadata and loopback names. */
  RESERVED_HOSTS: z.string().regex(/^(\*\.)?[a-z0-9.-]+(,(\*\.)?[a-z0-9.-]+)*$/, 'comma-separated hosts such as kubernetes.default.svc,*.cluster.local').optional(),
  INGRESS_CLASS: z.string().min(1).default('nginx'),
  /** Namespace of the ingress controller; the only namespace allowed to reach a store's WordPress. */
  INGRESS_NAMESPACE: z.string().min(1).default('ingress-nginx'),
  /** The ingress controller's Service in INGRESS_NAMESPACE (ports 80/443); the store check goes through it. */
  INGRESS_SERVICE: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a Service name such as ingress-nginx-controller').default('ingress-nginx-controller'),
  /** `key=value,...`: the controller's pods when it shares its namespace (k3s: app.kubernetes.io/name=traefik in kube-system). */
  INGRESS_POD_LABELS: labelList.optional(),
  /** Node ranges of an ingress controller on the host network; they may reach stores like its pods. */
  INGRESS_CIDRS: cidrList.optional(),
  /** The cluster DNS store pods may query: namespace, pod labels, pod ports, and extra addresses (NodeLocal DNSCache). */
  DNS_NAMESPACE: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a namespace such as kube-system').default(DEFAULT_DNS_PEERS.namespace),
  DNS_POD_LABELS: labelList.default(Object.entries(DEFAULT_DNS_PEERS.podLabels).map(([k, v]) => `${k}=${v}`).join(',')),
  DNS_PORTS: z.string().regex(/^\d{1,5}(,\d{1,5})*$/, 'comma-separated ports such as 53 or 53,5353').default(DEFAULT_DNS_PEERS.ports.join(',')),
  DNS_CIDRS: cidrList.optional(),
  TLS_ENABLED: bool.default(false),
  /** cert-manager ClusterIssuer named on store Ingresses when TLS_ENABLED. */
  TLS_CLUSTER_ISSUER: z.string().min(1).default('letsencrypt'),
  /** Comma-separated pod, service and node ranges a store's internet egress rule excepts. */
  CLUSTER_CIDRS: cidrList46.default(DEFAULT_PLATFORM_SETTINGS.clusterCidrs.join(',')),
  /** Let WordPress reach the internet on 80/443 (plugin updates, payment gateways). */
  ALLOW_INTERNET_EGRESS: bool.default(true),
  /** StorageClass for store volumes; unset: the cluster's default. */
  STORAGE_CLASS: optionalString,
  /** `key=value`: store pods select nodes with this label and tolerate the same `key=value:NoSchedule` taint. */
  STORE_NODE_POOL: z
    .string()
    .regex(/^[a-z0-9A-Z]([a-zA-Z0-9./_-]*[a-zA-Z0-9])?=[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/, 'a node label key=value such as store-platform.io/pool=stores')
    .optional(),
  /** The SMTP relay every store sends mail through; unset: stores send no mail (their health says so). */
  SMTP_HOST: z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/, 'a host name or IPv4 address such as smtp.example.com').optional(),
  SMTP_PORT: int(1, 65535).default(587),
  /** starttls (587), tls (465, TLS from the first byte) or none (a relay inside a trusted network). */
  SMTP_TLS: z.enum(MAIL_TLS_MODES).default('starttls'),
  /** The address every mail is sent from; required with SMTP_HOST. */
  SMTP_FROM: z.email('an e-mail address such as shop@example.com').optional(),
  /** The relay's addresses, the only ones WordPress may reach on SMTP_PORT; unset: SMTP_HOST/32 when it is an address. */
  SMTP_RELAY_CIDRS: cidrList.optional(),
  /** SMTP AUTH; set both or neither (the chart reads them from a Secret). */
  SMTP_USERNAME: optionalString,
  SMTP_PASSWORD: optionalString,
  WOOCOMMERCE_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version such as 11.2.0').default(DEFAULT_PLATFORM_SETTINGS.woocommerceVersion),
  /** Image overrides; each must be pinned to a tag or digest. Unset: the platform's pinned defaults. */
  WORDPRESS_IMAGE: imageRef.optional(),
  WP_CLI_IMAGE: imageRef.optional(),
  /** The database server of new WooCommerce stores (the pinned image of each); MYSQL_IMAGE overrides the image itself. */
  DATABASE_ENGINE: z.enum(['mariadb', 'mysql']).default(DEFAULT_DATABASE_ENGINE),
  MYSQL_IMAGE: imageRef.optional(),
  CURL_IMAGE: imageRef.optional(),
  MEDUSA_IMAGE: imageRef.optional(),
  POSTGRES_IMAGE: imageRef.optional(),
  REDIS_IMAGE: imageRef.optional(),
  MAINTENANCE_IMAGE: imageRef.optional(),
  /**
   * The operator's release catalogue (constructs/releases.ts) as JSON: by engine, `{ "current"?: version,
   * "releases": [{ "version", "images"?, "woocommerceVersion"?, "upgradesFrom"? }] }`. Unset: each engine's
   * base release only (the images above), and no upgrades.
   */
  STORE_RELEASES: z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not JSON (${(err as Error).message})` });
      return z.NEVER;
    }
  }).pipe(releaseCatalogue).optional(),
  /** Refuse to start unless every image a store runs (defaults and overrides) is pinned by tag and digest. */
  REQUIRE_IMAGE_DIGESTS: bool.default(false),
  /** Trust X-Forwarded-* from a proxy in front (client IPs for rate limits and the audit log). */
  TRUST_PROXY: bool.default(false),
  /** How many stores are provisioned at once. */
  CONCURRENCY: int(1, 32).default(3),
  /** Platform-wide cap on live (not Deleted) stores. */
  MAX_STORES: int(1, 100_000).default(50),
  /**
   * How long a deleted Ready or Suspended store is kept (parked behind its maintenance page, its name
   * still taken) for an undelete before it is purged; 0: a delete purges at once.
   */
  UNDELETE_WINDOW_HOURS: int(0, 8_760).default(168),
  /** Overrides every provisioning step's own timeout; unset: each step's own (minutes for the WooCommerce setup). */
  STEP_TIMEOUT_SECONDS: int(1, 86_400).optional(),
  /**
   * Client-side deadline of the Kubernetes calls an API request waits on (health, logs, credentials,
   * restart, password reset): past it the request answers 503.
   */
  KUBE_REQUEST_TIMEOUT_SECONDS: int(1, 120).default(5),
  TEARDOWN_FAILED_STORES: bool.default(false),
  /** Requests per minute and per API key (per IP when anonymous). */
  RATE_LIMIT_CREATE_PER_MINUTE: int(1, 1_000_000).default(5),
  RATE_LIMIT_MUTATION_PER_MINUTE: int(1, 1_000_000).default(30),
  RATE_LIMIT_READ_PER_MINUTE: int(1, 1_000_000).default(300),
  BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(64 * 1024),
  /** Seconds between SSE heartbeat comments. */
  SSE_HEARTBEAT_SECONDS: int(1, 3600).default(15),
  /** Open event streams, per API key and in all; one more is 429 STREAM_LIMIT_REACHED. */
  SSE_MAX_STREAMS_PER_KEY: int(1, 10_000).default(8),
  SSE_MAX_STREAMS: int(1, 100_000).default(200),
  /** Bytes a stream may hold unsent for a client that does not read; beyond, it is closed (the client resumes). */
  SSE_MAX_BUFFERED_BYTES: int(1024, 64 * 1024 * 1024).default(256 * 1024),
  /** Seconds a client has to send the request line and headers (431/408 beyond). */
  HTTP_HEADERS_TIMEOUT_SECONDS: int(1, 3600).default(10),
  /** Seconds a client has to send the whole request, headers and body: 408 beyond. At least HTTP_HEADERS_TIMEOUT_SECONDS. */
  HTTP_REQUEST_TIMEOUT_SECONDS: int(1, 3600).default(30),
  /** Seconds an idle keep-alive connection stays open; above a proxy's idle timeout (ingress-nginx: 60). */
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: int(1, 3600).default(72),
  /** Seconds a connection may be silent both ways before it is closed; above the longest request (a password reset: 300). */
  HTTP_CONNECTION_TIMEOUT_SECONDS: int(1, 86_400).default(330),
  /** Hours an Idempotency-Key answer is replayed; older ones are purged. */
  IDEMPOTENCY_RETENTION_HOURS: int(1, 24 * 30).default(24),
  /** Comma-separated namespaces (`prefix-*` covers a prefix) no store namespace `store-<name>` may be; INGRESS_NAMESPACE is always added. */
  RESERVED_NAMESPACES: z.string().regex(/^[a-z0-9-]+\*?(,[a-z0-9-]+\*?)*$/, 'comma-separated namespaces such as store-platform,kube-*').optional(),
  /** Directory holding the built dashboard; unset: dist/web when it exists. */
  WEB_DIR: optionalString,
  STORE_PLATFORM_ADMIN_KEY: z.string().min(24, 'at least 24 characters').optional(),
  STORE_PLATFORM_ADMIN_KEY_FILE: optionalString,
  /** The S3-compatible backup target; backups are off while the endpoint is unset (409 BACKUPS_NOT_CONFIGURED). */
  BACKUP_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'an http(s) URL without path, such as https://s3.example.com' }).optional(),
  BACKUP_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name such as store-backups').optional(),
  BACKUP_S3_REGION: z.string().regex(/^[a-z0-9-]+$/, 'an S3 region such as us-east-1').default('us-east-1'),
  /** Path-style bucket addressing (`<endpoint>/<bucket>`) or virtual-hosted (`<bucket>.<endpoint>`); unset: restic's choice, path-style for the platform's own check. */
  BACKUP_S3_PATH_STYLE: bool.optional(),
  /** The S3 keys, from a Secret (the chart: env from secretKeyRef), or BACKUP_S3_CREDENTIALS_FILE. */
  BACKUP_S3_ACCESS_KEY_ID: optionalString,
  BACKUP_S3_SECRET_ACCESS_KEY: optionalString,
  /** A mounted Secret (a folder with `access-key-id` and `secret-access-key`) or an env file with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  BACKUP_S3_CREDENTIALS_FILE: optionalString,
  /** Where backup pods may reach the endpoint (NetworkPolicy); unset: the endpoint's own address when it is an IPv4 address. */
  BACKUP_S3_EGRESS_CIDRS: cidrList.optional(),
  /** An S3 server inside the cluster: its namespace and pod labels (instead of BACKUP_S3_EGRESS_CIDRS). */
  BACKUP_S3_NAMESPACE: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a namespace such as minio').optional(),
  BACKUP_S3_POD_LABELS: labelList.optional(),
  /** Image of the backup and restore Jobs (restic, jq, the MariaDB and PostgreSQL clients); pin a tag or digest. */
  BACKUP_IMAGE: imageRef.optional(),
  /** AES-256-GCM key (32 bytes as 64 hex digits or base64) that encrypts the escrowed repository passwords. */
  BACKUP_ESCROW_KEY: z.string().optional(),
  /** The platform's own Secret holding the escrowed passwords, as `<namespace>/<name>`. */
  BACKUP_ESCROW_SECRET: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'namespace/name such as store-platform/store-platform-backup-keys')
    .default('store-platform/store-platform-backup-keys'),
  /** Take a final backup before a store is deleted (admins may skip it with ?skipFinalBackup=true). */
  BACKUP_BEFORE_DELETE: bool.default(true),
  /** Backup and restore Jobs running at once, platform-wide. */
  BACKUP_CONCURRENCY: int(1, 16).default(2),
  /** Hours between a store's scheduled backups, for every plan; unset: the plan's own (24, large 12); 0: no schedule. */
  BACKUP_SCHEDULE_HOURS: int(0, 24 * 31).optional(),
});

export type Config = Readonly<Omit<z.infer<typeof ConfigSchema>, 'STORE_PLATFORM_ADMIN_KEY_FILE'>>;

/** A configuration problem; main.ts prints the message on one line and exits 2. */
export class ConfigError extends Error {}

/**
 * Parses the environment once and fails fast with one line naming each bad variable.
 * STORE_PLATFORM_ADMIN_KEY_FILE is resolved here (how the Helm chart mounts the key).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  // empty strings mean "unset", as in most .env tooling
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in ConfigSchema.shape && v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'config');
      return `${name}: ${i.message}${name in cleaned && !/KEY|PASSWORD/.test(name) ? ` (got '${cleaned[name]}')` : ''}`;
    });
    throw new ConfigError(`invalid configuration: ${issues.join('; ')}`);
  }
  const { STORE_PLATFORM_ADMIN_KEY_FILE: keyFile, ...config } = parsed.data;
  if (keyFile !== undefined) {
    if (config.STORE_PLATFORM_ADMIN_KEY !== undefined) {
      throw new ConfigError('invalid configuration: set STORE_PLATFORM_ADMIN_KEY or STORE_PLATFORM_ADMIN_KEY_FILE, not both');
    }
    let key: string;
    try {
      key = readFile(keyFile).trim();
    } catch (err) {
      throw new ConfigError(`invalid configuration: STORE_PLATFORM_ADMIN_KEY_FILE: cannot read '${keyFile}' (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (key.length < 24) throw new ConfigError('invalid configuration: STORE_PLATFORM_ADMIN_KEY_FILE: the key must be at least 24 characters');
    config.STORE_PLATFORM_ADMIN_KEY = key;
  }
  if (config.HTTP_HEADERS_TIMEOUT_SECONDS > config.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError(`invalid configuration: HTTP_HEADERS_TIMEOUT_SECONDS (${config.HTTP_HEADERS_TIMEOUT_SECONDS}) must not exceed HTTP_REQUEST_TIMEOUT_SECONDS (${config.HTTP_REQUEST_TIMEOUT_SECONDS})`);
  }
  const mail = mailProblem(config);
  if (mail !== undefined) throw new ConfigError(`invalid configuration: ${mail}`);
  const releases = catalogueProblems(platformSettings(config), (engine) => (engineAvailable(engine) ? engineOf(engine).versioning : undefined));
  if (releases.length > 0) throw new ConfigError(`invalid configuration: STORE_RELEASES: ${releases.join('; ')}`);
  const unpinned = config.REQUIRE_IMAGE_DIGESTS ? digestViolations(config) : undefined;
  if (unpinned !== undefined) throw new ConfigError(`invalid configuration: ${unpinned}`);
  if (config.BACKUP_S3_ENDPOINT !== undefined) resolveBackupCredentials(config, readFile);
  const frozen = Object.freeze(config);
  backupSettings(frozen); // every backup problem is a start-up error, not one at the first backup
  return frozen;
}

/** The backup target and what the platform needs to drive it; undefined when backups are off. */
export interface BackupSettings {
  readonly target: BackupTarget;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Path-style bucket addressing; undefined: restic's own choice. */
  readonly pathStyle: boolean | undefined;
  readonly escrow: { readonly key: Buffer; readonly namespace: string; readonly name: string };
  readonly beforeDelete: boolean;
  readonly concurrency: number;
  /** Hours between scheduled backups for every plan; undefined: each plan's BACKUP_INTERVAL_HOURS; 0: off. */
  readonly scheduleHours: number | undefined;
}

const BACKUP_VARIABLES = [
  'BACKUP_S3_BUCKET', 'BACKUP_S3_PATH_STYLE', 'BACKUP_S3_ACCESS_KEY_ID', 'BACKUP_S3_SECRET_ACCESS_KEY', 'BACKUP_S3_EGRESS_CIDRS',
  'BACKUP_S3_CREDENTIALS_FILE', 'BACKUP_S3_NAMESPACE', 'BACKUP_S3_POD_LABELS', 'BACKUP_IMAGE', 'BACKUP_ESCROW_KEY', 'BACKUP_SCHEDULE_HOURS',
] as const satisfies readonly (keyof Config)[];

/**
 * The backup settings from the configuration (undefined without BACKUP_S3_ENDPOINT); throws ConfigError
 * with one line for an incomplete or inconsistent target. Never echoes a key.
 */
export function backupSettings(config: Config): BackupSettings | undefined {
  const fail = (msg: string): never => { throw new ConfigError(`invalid configuration: ${msg}`); };
  if (config.BACKUP_S3_ENDPOINT === undefined) {
    const stray = BACKUP_VARIABLES.filter((v) => config[v] !== undefined);
    if (stray.length > 0) fail(`${stray.join(', ')} set but BACKUP_S3_ENDPOINT is not (set it to turn backups on)`);
    return undefined;
  }
  const url = new URL(config.BACKUP_S3_ENDPOINT);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username || url.password) {
    fail(`BACKUP_S3_ENDPOINT: an http(s) URL without path, query or credentials, such as https://s3.example.com (got '${config.BACKUP_S3_ENDPOINT}')`);
  }
  const missing = (['BACKUP_S3_BUCKET', 'BACKUP_S3_ACCESS_KEY_ID', 'BACKUP_S3_SECRET_ACCESS_KEY', 'BACKUP_ESCROW_KEY'] as const)
    .filter((v) => config[v] === undefined)
    .map((v) => (v.startsWith('BACKUP_S3_') && v !== 'BACKUP_S3_BUCKET' ? `${v} (or BACKUP_S3_CREDENTIALS_FILE)` : v));
  if (missing.length > 0) fail(`BACKUP_S3_ENDPOINT is set, so these are needed too: ${missing.join(', ')}`);
  const key = escrowKeyOf(config.BACKUP_ESCROW_KEY!);
  if (key === undefined) fail('BACKUP_ESCROW_KEY: 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)');
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  let egress: BackupEgress;
  if (config.BACKUP_S3_NAMESPACE !== undefined || config.BACKUP_S3_POD_LABELS !== undefined) {
    if (config.BACKUP_S3_EGRESS_CIDRS !== undefined) fail('set BACKUP_S3_EGRESS_CIDRS or BACKUP_S3_NAMESPACE with BACKUP_S3_POD_LABELS, not both');
    if (config.BACKUP_S3_NAMESPACE === undefined || config.BACKUP_S3_POD_LABELS === undefined) fail('BACKUP_S3_NAMESPACE and BACKUP_S3_POD_LABELS go together');
    egress = { namespace: config.BACKUP_S3_NAMESPACE!, podLabels: labelsOf(config.BACKUP_S3_POD_LABELS!), port };
  } else if (config.BACKUP_S3_EGRESS_CIDRS !== undefined) {
    egress = { cidrs: config.BACKUP_S3_EGRESS_CIDRS.split(','), port };
  } else if (/^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname)) {
    egress = { cidrs: [`${url.hostname}/32`], port };
  } else {
    return fail(`BACKUP_S3_EGRESS_CIDRS: needed for the backup pods' egress policy, the endpoint's host '${url.hostname}' is not an IPv4 address (or set BACKUP_S3_NAMESPACE and BACKUP_S3_POD_LABELS for a server in the cluster)`);
  }
  const [namespace = '', name = ''] = config.BACKUP_ESCROW_SECRET.split('/', 2);
  const target: BackupTarget = {
    endpoint: `${url.protocol}//${url.host}`, bucket: config.BACKUP_S3_BUCKET!, region: config.BACKUP_S3_REGION,
    image: config.BACKUP_IMAGE ?? DEFAULT_BACKUP_IMAGE, egress,
    ...(config.BACKUP_S3_PATH_STYLE !== undefined ? { bucketLookup: config.BACKUP_S3_PATH_STYLE ? 'path' as const : 'dns' as const } : {}),
  };
  try {
    assertTarget(target);
  } catch (err) {
    fail(`backup target: ${(err as Error).message}`);
  }
  return {
    target,
    credentials: { accessKeyId: config.BACKUP_S3_ACCESS_KEY_ID!, secretAccessKey: config.BACKUP_S3_SECRET_ACCESS_KEY! },
    pathStyle: config.BACKUP_S3_PATH_STYLE,
    escrow: { key: key!, namespace, name },
    beforeDelete: config.BACKUP_BEFORE_DELETE,
    concurrency: config.BACKUP_CONCURRENCY,
    scheduleHours: config.BACKUP_SCHEDULE_HOURS,
  };
}

/** The escrow key from its setting: 32 bytes as 64 hex digits or base64; undefined otherwise. */
export function escrowKeyOf(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    return b.length === 32 ? b : undefined;
  }
  return undefined;
}

/**
 * BACKUP_S3_CREDENTIALS_FILE into the two key variables: a mounted Secret's folder (files
 * `access-key-id` and `secret-access-key`) or an env file (AWS_ACCESS_KEY_ID=, AWS_SECRET_ACCESS_KEY=).
 */
function resolveBackupCredentials(
  config: { BACKUP_S3_CREDENTIALS_FILE?: string | undefined; BACKUP_S3_ACCESS_KEY_ID?: string | undefined; BACKUP_S3_SECRET_ACCESS_KEY?: string | undefined },
  readFile: (p: string) => string,
): void {
  const file = config.BACKUP_S3_CREDENTIALS_FILE;
  if (file === undefined) return;
  if (config.BACKUP_S3_ACCESS_KEY_ID !== undefined || config.BACKUP_S3_SECRET_ACCESS_KEY !== undefined) {
    throw new ConfigError('invalid configuration: set BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY or BACKUP_S3_CREDENTIALS_FILE, not both');
  }
  const read = (p: string): string | undefined => {
    try {
      return readFile(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') return undefined;
      throw new ConfigError(`invalid configuration: BACKUP_S3_CREDENTIALS_FILE: cannot read '${p}' (${code ?? 'error'})`);
    }
  };
  const text = read(file);
  let id: string | undefined;
  let secret: string | undefined;
  if (text === undefined) {
    id = read(`${file}/access-key-id`)?.trim();
    secret = read(`${file}/secret-access-key`)?.trim();
  } else {
    const vars = Object.fromEntries(text.split('\n').map((l) => /^\s*(?:export\s+)?([A-Z_]+)=(.*)$/.exec(l)).filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!.trim().replace(/^(['"])(.*)\1$/, '$2')]));
    id = vars.AWS_ACCESS_KEY_ID;
    secret = vars.AWS_SECRET_ACCESS_KEY;
  }
  if (!id || !secret) {
    throw new ConfigError(`invalid configuration: BACKUP_S3_CREDENTIALS_FILE: '${file}' must hold AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an env file) or access-key-id and secret-access-key (a mounted Secret)`);
  }
  config.BACKUP_S3_ACCESS_KEY_ID = id;
  config.BACKUP_S3_SECRET_ACCESS_KEY = secret;
}

/** Cluster-wide settings every store is built with. */
export function platformSettings(config: Config): PlatformSettings {
  const d = DEFAULT_PLATFORM_SETTINGS;
  return {
    ...d,
    baseDomain: config.BASE_DOMAIN,
    ...(config.PLATFORM_HOST !== undefined ? { platformHost: config.PLATFORM_HOST } : {}),
    reservedHosts: config.RESERVED_HOSTS?.split(',') ?? DEFAULT_RESERVED_HOSTS,
    ingressClassName: config.INGRESS_CLASS,
    ingressNamespace: config.INGRESS_NAMESPACE,
    ingressService: config.INGRESS_SERVICE,
    ...(config.INGRESS_POD_LABELS !== undefined ? { ingressPodLabels: labelsOf(config.INGRESS_POD_LABELS) } : {}),
    ...(config.INGRESS_CIDRS !== undefined ? { ingressCidrs: config.INGRESS_CIDRS.split(',') } : {}),
    dns: {
      namespace: config.DNS_NAMESPACE,
      podLabels: labelsOf(config.DNS_POD_LABELS),
      ports: config.DNS_PORTS.split(',').map(Number),
      cidrs: config.DNS_CIDRS?.split(',') ?? [],
    },
    tls: { enabled: config.TLS_ENABLED, clusterIssuer: config.TLS_CLUSTER_ISSUER },
    clusterCidrs: config.CLUSTER_CIDRS.split(','),
    allowInternetEgress: config.ALLOW_INTERNET_EGRESS,
    ...(config.STORAGE_CLASS !== undefined ? { storageClassName: config.STORAGE_CLASS } : {}),
    ...(config.STORE_NODE_POOL !== undefined ? { nodePool: nodePoolOf(config.STORE_NODE_POOL) } : {}),
    woocommerceVersion: config.WOOCOMMERCE_VERSION,
    images: storeImages(config),
    ...(config.STORE_RELEASES !== undefined ? { releases: config.STORE_RELEASES as ReleaseCatalogue } : {}),
    databaseEngine: config.DATABASE_ENGINE,
    ...(config.SMTP_HOST !== undefined ? { mail: mailRelay(config) } : {}),
  };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The settings that only mean something with SMTP_HOST. */
const SMTP_DEPENDENTS = ['SMTP_FROM', 'SMTP_RELAY_CIDRS', 'SMTP_USERNAME', 'SMTP_PASSWORD'] as const;

/** The first inconsistency among the SMTP settings, as one line; undefined when they hold together. */
function mailProblem(config: Config): string | undefined {
  if (config.SMTP_HOST === undefined) {
    const stray = SMTP_DEPENDENTS.filter((k) => config[k] !== undefined);
    return stray.length > 0 ? `${stray.join(', ')} set without SMTP_HOST: set SMTP_HOST to send mail, or unset them` : undefined;
  }
  if (config.SMTP_FROM === undefined) return 'SMTP_FROM: required with SMTP_HOST (the address every store mail is sent from)';
  if (config.SMTP_RELAY_CIDRS === undefined && !IPV4.test(config.SMTP_HOST)) {
    return `SMTP_RELAY_CIDRS: required when SMTP_HOST is a name ('${config.SMTP_HOST}'): a NetworkPolicy allows the relay's addresses, not its name`;
  }
  if ((config.SMTP_USERNAME === undefined) !== (config.SMTP_PASSWORD === undefined)) return 'SMTP_USERNAME and SMTP_PASSWORD: set both (SMTP AUTH) or neither';
  return undefined;
}

/** The relay stores send mail through; called only with SMTP_HOST set (mailProblem checked the rest). */
function mailRelay(config: Config): MailRelay {
  const host = config.SMTP_HOST!;
  return {
    host,
    port: config.SMTP_PORT,
    tls: config.SMTP_TLS,
    from: config.SMTP_FROM!,
    cidrs: config.SMTP_RELAY_CIDRS?.split(',') ?? [`${host}/32`],
    ...(config.SMTP_USERNAME !== undefined && config.SMTP_PASSWORD !== undefined
      ? { credentials: { username: config.SMTP_USERNAME, password: config.SMTP_PASSWORD } } : {}),
  };
}

/** The variable that overrides each image. */
const IMAGE_VARIABLES = {
  wordpress: 'WORDPRESS_IMAGE',
  wpCli: 'WP_CLI_IMAGE',
  mysql: 'MYSQL_IMAGE',
  curl: 'CURL_IMAGE',
  medusa: 'MEDUSA_IMAGE',
  postgres: 'POSTGRES_IMAGE',
  redis: 'REDIS_IMAGE',
  maintenance: 'MAINTENANCE_IMAGE',
} as const satisfies Record<keyof StoreImages, keyof Config>;

function storeImages(config: Config): StoreImages {
  const defaults: StoreImages = { ...DEFAULT_IMAGES, mysql: DATABASE_IMAGES[config.DATABASE_ENGINE] };
  const entries = Object.entries(IMAGE_VARIABLES) as [keyof StoreImages, (typeof IMAGE_VARIABLES)[keyof StoreImages]][];
  return Object.fromEntries(entries.map(([key, variable]) => [key, config[variable] ?? defaults[key]])) as unknown as StoreImages;
}

/** With REQUIRE_IMAGE_DIGESTS: one line naming every image variable whose image has no digest. */
function digestViolations(config: Config): string | undefined {
  const images = storeImages(config);
  const missing = imagesWithoutDigest(images)
    .map((key) => `${IMAGE_VARIABLES[key]} ('${images[key]}'${config[IMAGE_VARIABLES[key]] === undefined ? ', the default' : ''})`);
  const backupImage = config.BACKUP_IMAGE ?? DEFAULT_BACKUP_IMAGE;
  if (config.BACKUP_S3_ENDPOINT !== undefined && !isDigestPinned(backupImage)) {
    missing.push(`BACKUP_IMAGE ('${backupImage}'${config.BACKUP_IMAGE === undefined ? ', the default' : ''})`);
  }
  return missing.length === 0 ? undefined : `REQUIRE_IMAGE_DIGESTS is on, but these images are not pinned by digest (name:tag@sha256:<64 hex>): ${missing.join(', ')}`;
}

function labelsOf(list: string): Record<string, string> {
  return Object.fromEntries(list.split(',').map((pair) => pair.split('=', 2) as [string, string]));
}

function nodePoolOf(label: string): { key: string; value: string } {
  const [key = '', value = ''] = label.split('=', 2);
  return { key, value };
}

/** Defaults for every variable: tests start from this and override what they need. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  const { STORE_PLATFORM_ADMIN_KEY_FILE: _file, ...defaults } = ConfigSchema.parse({});
  return Object.freeze({ ...defaults, ...overrides });
}

/**
 * The plan table: one typed row per plan sizing the namespace guardrails and every container.
 * Numbers, not strings, so tests (and node validations) can add them up against the quota.
 */

/** CPU in millicores and memory in MiB. */
export interface ComputeAmount {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/**
 * Local ephemeral storage of one container, in MiB: its writable layer, its logs and its share of
 * the pod's emptyDir volumes (the kubelet evicts a pod whose usage passes the sum of its containers'
 * limits, so that sum covers every emptyDir's `sizeLimit`).
 */
export interface EphemeralStorage {
  readonly requestMiB: number;
  readonly limitMiB: number;
}

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: ComputeAmount;
  readonly limits: ComputeAmount;
  /** Local ephemeral storage; the same on every plan (it follows what the image writes, not the shop's size). */
  readonly ephemeralStorage: EphemeralStorage;
}

/**
 * Ephemeral storage by component (every root filesystem is read-only, so this is emptyDirs and logs).
 * Databases keep their data on a volume and write their socket to a 16 MiB emptyDir and temporary
 * tables to a 512 MiB /tmp; WordPress and the wp-cli Jobs hold WordPress core in a 512 MiB emptyDir and
 * write a 256 MiB /tmp (WordPress also its 16 MiB Apache run directory); Medusa's containers write HOME
 * and temporary files to a 256 MiB /tmp emptyDir; Redis keeps its 64 MiB cache in an emptyDir.
 */
export const EPHEMERAL_STORAGE = {
  database: { requestMiB: 256, limitMiB: 1024 },
  wordpress: { requestMiB: 256, limitMiB: 1024 },
  wpCli: { requestMiB: 256, limitMiB: 1024 },
  storeCheck: { requestMiB: 16, limitMiB: 64 },
  redis: { requestMiB: 64, limitMiB: 256 },
  medusa: { requestMiB: 256, limitMiB: 1024 },
  medusaCheck: { requestMiB: 64, limitMiB: 512 },
  maintenance: { requestMiB: 16, limitMiB: 64 },
} as const satisfies Record<string, EphemeralStorage>;

/** ResourceQuota `spec.hard` of a store namespace. */
export interface QuotaSpec {
  /** Sum of CPU/memory requests of all non-terminal pods. */
  readonly requests: ComputeAmount;
  /** Sum of CPU/memory limits of all non-terminal pods. */
  readonly limits: ComputeAmount;
  /** Sum of storage requested by PersistentVolumeClaims, in GiB. */
  readonly storageGiB: number;
  readonly pods: number;
  readonly persistentVolumeClaims: number;
  readonly services: number;
  readonly secrets: number;
  readonly configMaps: number;
}

/** LimitRange for containers: defaults for anything unsized, and a ceiling. */
export interface LimitRangeSpec {
  readonly defaultRequest: ComputeAmount;
  readonly defaultLimit: ComputeAmount;
  readonly max: ComputeAmount;
  /** Largest single PersistentVolumeClaim, in GiB. */
  readonly maxClaimGiB: number;
}

/**
 * How the WordPress container's Apache and PHP are sized. Apache runs the prefork MPM (mod_php), one
 * process per request in flight, so the worst case is every worker at PHP's memory limit; the tuning
 * fit check (constructs/woocommerce/tuning.ts) holds that under the container's memory limit.
 */
export interface WebTuning {
  /** Apache prefork `MaxRequestWorkers` (and `ServerLimit`): requests served at once. */
  readonly maxRequestWorkers: number;
  /** PHP `memory_limit` of one request, in MiB (also WordPress's `WP_MEMORY_LIMIT` and `WP_MAX_MEMORY_LIMIT`). */
  readonly phpMemoryLimitMiB: number;
  /** `opcache.memory_consumption` in MiB: shared by every worker, counted once. */
  readonly opcacheMiB: number;
  /** `opcache.interned_strings_buffer` in MiB (part of {@link opcacheMiB}). */
  readonly opcacheInternedStringsMiB: number;
  /** `upload_max_filesize` in MiB; `post_max_size` is one more (form fields beside the file). */
  readonly uploadMaxMiB: number;
}

/**
 * How the database server is sized. Every setting is accepted by MySQL 8.4 and MariaDB 10.11+; the
 * tuning fit check holds the worst case (buffer pool, every connection with its session buffers and
 * an in-memory temporary table at its cap) under the container's memory limit.
 */
export interface DatabaseTuning {
  /** `innodb_buffer_pool_size` in MiB; a multiple of 128 (MySQL rounds it up to its chunk size otherwise). */
  readonly innodbBufferPoolMiB: number;
  /** `tmp_table_size` and `max_heap_table_size` in MiB: one in-memory temporary table's cap. */
  readonly tmpTableMiB: number;
  /** `max_connections`: WordPress's workers, the wp-cli Jobs, a backup, and headroom. */
  readonly maxConnections: number;
}

/** Apache, PHP and database sizing of a WooCommerce store on a plan. */
export interface WooCommerceTuning {
  readonly web: WebTuning;
  readonly database: DatabaseTuning;
}

/** One row of the plan table. */
export interface PlanSpec {
  readonly title: string;
  readonly quota: QuotaSpec;
  readonly limitRange: LimitRangeSpec;
  /** Per-container sizing. `wpCli` covers the setup and reset jobs and their init container. */
  readonly components: {
    readonly mysql: ContainerResources;
    readonly wordpress: ContainerResources;
    readonly wpCli: ContainerResources;
    readonly storeCheck: ContainerResources;
  };
  /** Volume sizes in GiB. */
  readonly storage: { readonly mysqlGiB: number; readonly wpContentGiB: number };
  /** Apache, PHP and database settings of a WooCommerce store; checked against `components`. */
  readonly tuning: WooCommerceTuning;
  /** Sizing of a Medusa store on this plan. @default - the plan does not offer Medusa */
  readonly medusa?: MedusaSizing;
}

/**
 * Per-container sizing of a Medusa store. Medusa asks for 1-2 GiB: the server holds ~430 MiB idle
 * and ~620 MiB at peak; a separate worker ~370 MiB.
 */
export interface MedusaSizing {
  readonly postgres: ContainerResources;
  readonly redis: ContainerResources;
  /** The server; in `shared` worker mode it also runs the background jobs and subscribers. */
  readonly server: ContainerResources;
  /** A separate worker Deployment (`MEDUSA_WORKER_MODE=worker`). @default - none: the server runs `shared` */
  readonly worker?: ContainerResources;
  /** The setup and password-reset Jobs (the whole Medusa app loads for `medusa exec`). */
  readonly job: ContainerResources;
  /** The store check (plain Node placing an order). */
  readonly storeCheck: ContainerResources;
  /** PostgreSQL volume in GiB. */
  readonly postgresGiB: number;
}

/** Plan names, in ascending size. */
export const PLANS = ['small', 'standard', 'large'] as const;
export type Plan = (typeof PLANS)[number];

/**
 * wp-cli lifts PHP's memory limit (`memory_limit=-1`), so the container limit is the only cap: 512 MiB
 * holds a WooCommerce install (the plugin's archive unpacked by PHP, its tables created, its pages).
 */
const wpCli: ContainerResources = {
  requests: { cpuMillis: 100, memoryMiB: 256 }, limits: { cpuMillis: 500, memoryMiB: 512 }, ephemeralStorage: EPHEMERAL_STORAGE.wpCli,
};
const storeCheck: ContainerResources = {
  requests: { cpuMillis: 50, memoryMiB: 32 }, limits: { cpuMillis: 200, memoryMiB: 64 }, ephemeralStorage: EPHEMERAL_STORAGE.storeCheck,
};
/**
 * The maintenance responder a suspended store serves (constructs/maintenance.ts): the same on every
 * plan and engine, small enough to fit the quota beside the store's running workloads while it
 * suspends (a unit test keeps it that way).
 */
export const MAINTENANCE_RESOURCES: ContainerResources = {
  requests: { cpuMillis: 10, memoryMiB: 16 }, limits: { cpuMillis: 100, memoryMiB: 32 }, ephemeralStorage: EPHEMERAL_STORAGE.maintenance,
};
const counts = { pods: 8, services: 4, secrets: 8, configMaps: 6, persistentVolumeClaims: 3 } as const;

/**
 * Sizing per plan. The quota leaves room for every pod a store runs at once (MySQL, WordPress,
 * the setup job, the store check and a password-reset job); a unit test keeps it that way.
 */
export const planTable: Readonly<Record<Plan, PlanSpec>> = {
  small: {
    title: 'Small',
    quota: {
      requests: { cpuMillis: 1000, memoryMiB: 1536 },
      limits: { cpuMillis: 3000, memoryMiB: 3136 },
      storageGiB: 5,
      ...counts,
    },
    limitRange: {
      defaultRequest: { cpuMillis: 100, memoryMiB: 128 },
      defaultLimit: { cpuMillis: 500, memoryMiB: 256 },
      max: { cpuMillis: 1000, memoryMiB: 1024 },
      maxClaimGiB: 2,
    },
    components: {
      mysql: { requests: { cpuMillis: 250, memoryMiB: 512 }, limits: { cpuMillis: 1000, memoryMiB: 1024 }, ephemeralStorage: EPHEMERAL_STORAGE.database },
      wordpress: { requests: { cpuMillis: 100, memoryMiB: 384 }, limits: { cpuMillis: 500, memoryMiB: 1024 }, ephemeralStorage: EPHEMERAL_STORAGE.wordpress },
      wpCli,
      storeCheck,
    },
    storage: { mysqlGiB: 2, wpContentGiB: 2 },
    tuning: {
      web: { maxRequestWorkers: 4, phpMemoryLimitMiB: 192, opcacheMiB: 96, opcacheInternedStringsMiB: 16, uploadMaxMiB: 32 },
      database: { innodbBufferPoolMiB: 512, tmpTableMiB: 16, maxConnections: 12 },
    },
    medusa: {
      postgres: { requests: { cpuMillis: 100, memoryMiB: 256 }, limits: { cpuMillis: 500, memoryMiB: 512 }, ephemeralStorage: EPHEMERAL_STORAGE.database },
      redis: { requests: { cpuMillis: 50, memoryMiB: 64 }, limits: { cpuMillis: 200, memoryMiB: 128 }, ephemeralStorage: EPHEMERAL_STORAGE.redis },
      server: { requests: { cpuMillis: 250, memoryMiB: 512 }, limits: { cpuMillis: 1000, memoryMiB: 1024 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      job: { requests: { cpuMillis: 200, memoryMiB: 384 }, limits: { cpuMillis: 1000, memoryMiB: 768 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      storeCheck: { requests: { cpuMillis: 50, memoryMiB: 64 }, limits: { cpuMillis: 200, memoryMiB: 128 }, ephemeralStorage: EPHEMERAL_STORAGE.medusaCheck },
      postgresGiB: 2,
    },
  },
  standard: {
    title: 'Standard',
    quota: {
      requests: { cpuMillis: 1500, memoryMiB: 2560 },
      limits: { cpuMillis: 5000, memoryMiB: 5184 },
      storageGiB: 25,
      ...counts,
    },
    limitRange: {
      defaultRequest: { cpuMillis: 100, memoryMiB: 128 },
      defaultLimit: { cpuMillis: 500, memoryMiB: 256 },
      max: { cpuMillis: 2000, memoryMiB: 2048 },
      maxClaimGiB: 10,
    },
    components: {
      mysql: { requests: { cpuMillis: 500, memoryMiB: 1024 }, limits: { cpuMillis: 2000, memoryMiB: 2048 }, ephemeralStorage: EPHEMERAL_STORAGE.database },
      wordpress: { requests: { cpuMillis: 250, memoryMiB: 768 }, limits: { cpuMillis: 1000, memoryMiB: 2048 }, ephemeralStorage: EPHEMERAL_STORAGE.wordpress },
      wpCli,
      storeCheck,
    },
    storage: { mysqlGiB: 10, wpContentGiB: 10 },
    tuning: {
      web: { maxRequestWorkers: 6, phpMemoryLimitMiB: 256, opcacheMiB: 128, opcacheInternedStringsMiB: 16, uploadMaxMiB: 64 },
      database: { innodbBufferPoolMiB: 1024, tmpTableMiB: 32, maxConnections: 16 },
    },
    medusa: {
      postgres: { requests: { cpuMillis: 250, memoryMiB: 512 }, limits: { cpuMillis: 1000, memoryMiB: 1024 }, ephemeralStorage: EPHEMERAL_STORAGE.database },
      redis: { requests: { cpuMillis: 50, memoryMiB: 128 }, limits: { cpuMillis: 250, memoryMiB: 256 }, ephemeralStorage: EPHEMERAL_STORAGE.redis },
      server: { requests: { cpuMillis: 250, memoryMiB: 768 }, limits: { cpuMillis: 1500, memoryMiB: 1536 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      worker: { requests: { cpuMillis: 200, memoryMiB: 384 }, limits: { cpuMillis: 1000, memoryMiB: 768 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      job: { requests: { cpuMillis: 200, memoryMiB: 512 }, limits: { cpuMillis: 1000, memoryMiB: 768 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      storeCheck: { requests: { cpuMillis: 50, memoryMiB: 64 }, limits: { cpuMillis: 200, memoryMiB: 128 }, ephemeralStorage: EPHEMERAL_STORAGE.medusaCheck },
      postgresGiB: 10,
    },
  },
  large: {
    title: 'Large',
    quota: {
      requests: { cpuMillis: 2500, memoryMiB: 4096 },
      limits: { cpuMillis: 8000, memoryMiB: 8256 },
      storageGiB: 100,
      ...counts,
    },
    limitRange: {
      defaultRequest: { cpuMillis: 100, memoryMiB: 128 },
      defaultLimit: { cpuMillis: 500, memoryMiB: 256 },
      max: { cpuMillis: 4000, memoryMiB: 4096 },
      maxClaimGiB: 40,
    },
    components: {
      mysql: { requests: { cpuMillis: 1000, memoryMiB: 2048 }, limits: { cpuMillis: 4000, memoryMiB: 4096 }, ephemeralStorage: EPHEMERAL_STORAGE.database },
      wordpress: { requests: { cpuMillis: 500, memoryMiB: 1024 }, limits: { cpuMillis: 2000, memoryMiB: 3072 }, ephemeralStorage: EPHEMERAL_STORAGE.wordpress },
      wpCli,
      storeCheck,
    },
    storage: { mysqlGiB: 40, wpContentGiB: 40 },
    tuning: {
      web: { maxRequestWorkers: 10, phpMemoryLimitMiB: 256, opcacheMiB: 192, opcacheInternedStringsMiB: 32, uploadMaxMiB: 128 },
      database: { innodbBufferPoolMiB: 2048, tmpTableMiB: 64, maxConnections: 20 },
    },
    medusa: {
      postgres: { requests: { cpuMillis: 500, memoryMiB: 1024 }, limits: { cpuMillis: 2000, memoryMiB: 2048 }, ephemeralStorage: EPHEMERAL_STORAGE.database },
      redis: { requests: { cpuMillis: 100, memoryMiB: 256 }, limits: { cpuMillis: 500, memoryMiB: 512 }, ephemeralStorage: EPHEMERAL_STORAGE.redis },
      server: { requests: { cpuMillis: 500, memoryMiB: 1024 }, limits: { cpuMillis: 2000, memoryMiB: 2048 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      worker: { requests: { cpuMillis: 250, memoryMiB: 768 }, limits: { cpuMillis: 1500, memoryMiB: 1536 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      job: { requests: { cpuMillis: 250, memoryMiB: 512 }, limits: { cpuMillis: 1000, memoryMiB: 1024 }, ephemeralStorage: EPHEMERAL_STORAGE.medusa },
      storeCheck: { requests: { cpuMillis: 50, memoryMiB: 64 }, limits: { cpuMillis: 200, memoryMiB: 128 }, ephemeralStorage: EPHEMERAL_STORAGE.medusaCheck },
      postgresGiB: 40,
    },
  },
};

/** `250` → `'250m'`. */
export function cpu(millis: number): string {
  return `${millis}m`;
}

/** `512` → `'512Mi'`. */
export function memory(mebibytes: number): string {
  return `${mebibytes}Mi`;
}

/** `2` → `'2Gi'`. */
export function gibibytes(n: number): string {
  return `${n}Gi`;
}

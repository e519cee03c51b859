import type { PlanSpec, WooCommerceTuning } from '../plans.js';

/**
 * The memory model behind a WooCommerce store's Apache, PHP and database settings, the files that
 * carry them, and the fit check that refuses a plan whose worst case would pass its container limit
 * (the kernel would OOM-kill the container instead of PHP or the database refusing the work).
 *
 * Web (Apache prefork + mod_php): one process per request in flight, so the worst case is the parent
 * and the shared opcache once, plus every worker at PHP's `memory_limit` and its own pages.
 * Database (MySQL 8.4 or MariaDB): the server itself, the buffer pool with InnoDB's bookkeeping, and
 * every connection with its session buffers and an in-memory temporary table at its cap.
 */
export const MEMORY_MODEL = {
  /** Apache's parent process with mod_php and the shared libraries, counted once. */
  apacheParentMiB: 32,
  /** One worker's own pages beyond PHP's request heap (interpreter state, output buffers, realpath cache). */
  phpWorkerOverheadMiB: 24,
  /** The database server without its buffer pool: code, data dictionary, redo log buffer, table caches (performance_schema off). */
  databaseBaseMiB: 160,
  /** InnoDB's own structures for the buffer pool, as a fraction of it. */
  bufferPoolOverhead: 0.05,
  /** Session buffers of one connection (sort, join, read, thread stack, network) at the servers' defaults. */
  sessionMiB: 3,
  /** Connections beside WordPress's workers: two wp-cli Jobs, a backup, the probes, one spare. */
  connectionsBesideWorkers: 5,
} as const;

/** The web tier's worst case in MiB: the parent, opcache, and every worker at the memory limit. */
export function webWorstCaseMiB(t: WooCommerceTuning['web']): number {
  return MEMORY_MODEL.apacheParentMiB + t.opcacheMiB + t.maxRequestWorkers * (t.phpMemoryLimitMiB + MEMORY_MODEL.phpWorkerOverheadMiB);
}

/** The database's worst case in MiB: the server, the pool, and every connection with a full temporary table. */
export function databaseWorstCaseMiB(t: WooCommerceTuning['database']): number {
  const pool = Math.ceil(t.innodbBufferPoolMiB * (1 + MEMORY_MODEL.bufferPoolOverhead));
  return MEMORY_MODEL.databaseBaseMiB + pool + t.maxConnections * (MEMORY_MODEL.sessionMiB + t.tmpTableMiB);
}

/**
 * Problems with a plan's tuning: either worst case over its container's memory limit, settings a
 * server would round or refuse, or fewer connections than the workers and Jobs open. Empty when it fits.
 */
export function tuningProblems(plan: PlanSpec): string[] {
  const { web, database } = plan.tuning;
  const problems: string[] = [];
  const webLimit = plan.components.wordpress.limits.memoryMiB;
  const webWorst = webWorstCaseMiB(web);
  if (webWorst > webLimit) {
    problems.push(`wordpress worst case ${webWorst} MiB (Apache ${MEMORY_MODEL.apacheParentMiB} + opcache ${web.opcacheMiB} + ${web.maxRequestWorkers} workers x (memory_limit ${web.phpMemoryLimitMiB} + ${MEMORY_MODEL.phpWorkerOverheadMiB})) exceeds its ${webLimit} MiB memory limit`);
  }
  const dbLimit = plan.components.mysql.limits.memoryMiB;
  const dbWorst = databaseWorstCaseMiB(database);
  if (dbWorst > dbLimit) {
    problems.push(`database worst case ${dbWorst} MiB (server ${MEMORY_MODEL.databaseBaseMiB} + buffer pool ${database.innodbBufferPoolMiB} + ${database.maxConnections} connections x (${MEMORY_MODEL.sessionMiB} + tmp table ${database.tmpTableMiB})) exceeds its ${dbLimit} MiB memory limit`);
  }
  const positive: [string, number][] = [
    ['maxRequestWorkers', web.maxRequestWorkers], ['phpMemoryLimitMiB', web.phpMemoryLimitMiB], ['opcacheMiB', web.opcacheMiB],
    ['uploadMaxMiB', web.uploadMaxMiB], ['innodbBufferPoolMiB', database.innodbBufferPoolMiB], ['tmpTableMiB', database.tmpTableMiB],
    ['maxConnections', database.maxConnections],
  ];
  for (const [name, v] of positive) if (!Number.isInteger(v) || v < 1) problems.push(`tuning ${name} must be a positive integer, got ${v}`);
  if (database.innodbBufferPoolMiB % 128 !== 0) problems.push(`innodbBufferPoolMiB must be a multiple of 128 (MySQL rounds it up to its chunk size), got ${database.innodbBufferPoolMiB}`);
  if (web.opcacheInternedStringsMiB >= web.opcacheMiB) problems.push(`opcacheInternedStringsMiB ${web.opcacheInternedStringsMiB} must be below opcacheMiB ${web.opcacheMiB} (it is carved out of it)`);
  const needed = web.maxRequestWorkers + MEMORY_MODEL.connectionsBesideWorkers;
  if (database.maxConnections < needed) problems.push(`maxConnections ${database.maxConnections} is below ${needed} (${web.maxRequestWorkers} workers + ${MEMORY_MODEL.connectionsBesideWorkers} for Jobs, backups and probes)`);
  return problems;
}

/** Fails with one Error listing every problem when the plan's tuning does not fit. */
export function assertTuningFits(planName: string, plan: PlanSpec): WooCommerceTuning {
  const problems = tuningProblems(plan);
  if (problems.length > 0) throw new Error(`plan ${planName} does not fit its limits: ${problems.join('; ')}`);
  return plan.tuning;
}

/**
 * `/etc/apache2/conf-enabled/zz-store-platform-mpm.conf`: read after the image's mpm_prefork.conf,
 * so these values win. Idle workers are few (each one holds memory); a worker is replaced after
 * 1000 connections, so a slow leak never grows one past its share; short keep-alive, so an idle
 * browser does not hold one of the few workers.
 */
export function apacheMpmConf(plan: PlanSpec): string {
  const w = plan.tuning.web.maxRequestWorkers;
  return `# store-platform: Apache prefork sized for the ${plan.title} plan (constructs/plans.ts):
# ${w} workers x PHP memory_limit fit the container's memory limit
<IfModule mpm_prefork_module>
\tStartServers ${Math.min(2, w)}
\tMinSpareServers 1
\tMaxSpareServers ${Math.max(1, Math.min(3, w))}
\tServerLimit ${w}
\tMaxRequestWorkers ${w}
\tMaxConnectionsPerChild 1000
</IfModule>
KeepAliveTimeout 2
`;
}

/** Directory the WordPress container's PHP scans after its own (`PHP_INI_SCAN_DIR`, see {@link PHP_INI_SCAN_DIR}). */
export const PHP_INI_DIR = '/etc/store-platform/php';
/** A leading empty entry keeps the image's compiled-in scan directory; ours comes after it, so it wins. */
export const PHP_INI_SCAN_DIR = `:${PHP_INI_DIR}`;
/** File name of the PHP settings inside {@link PHP_INI_DIR}. */
export const PHP_INI_FILE = 'zz-store-platform.ini';

/**
 * The PHP settings of the web tier: the per-request memory limit the fit check counts, upload limits
 * (files go to disk; `post_max_size` one MiB above the file for the form fields), and opcache sized
 * for WordPress core, WooCommerce and a few plugins.
 */
export function phpIni(plan: PlanSpec): string {
  const w = plan.tuning.web;
  return `; store-platform: PHP sized for the ${plan.title} plan (constructs/plans.ts)
memory_limit = ${w.phpMemoryLimitMiB}M
upload_max_filesize = ${w.uploadMaxMiB}M
post_max_size = ${w.uploadMaxMiB + 1}M
opcache.enable = 1
opcache.memory_consumption = ${w.opcacheMiB}
opcache.interned_strings_buffer = ${w.opcacheInternedStringsMiB}
opcache.max_accelerated_files = 20000
opcache.validate_timestamps = 1
opcache.revalidate_freq = 60
expose_php = Off
`;
}

/** Where the database reads {@link databaseCnf}: both the official MySQL and MariaDB images include this directory. */
export const DATABASE_CONF_PATH = '/etc/mysql/conf.d/zz-store-platform.cnf';

/**
 * The database server's settings, each accepted by MySQL 8.4 and MariaDB 10.11+ (a test starts
 * MariaDB with this file for every plan). Binary logs are off: backups are logical dumps and no
 * replica or point-in-time recovery reads them, so they cannot fill the volume (MySQL 8.4 keeps
 * them 30 days by default). MySQL's TempTable engine caps all in-memory temporary tables together
 * (`temptable_max_ram`, by default a share of the node's memory, not the container's): set to the
 * model's total; `loose-` because MariaDB has no such variable (it warns and goes on).
 */
export function databaseCnf(plan: PlanSpec): string {
  const d = plan.tuning.database;
  return `# store-platform: database sized for the ${plan.title} plan (constructs/plans.ts)
[mysqld]
innodb_buffer_pool_size = ${d.innodbBufferPoolMiB}M
tmp_table_size = ${d.tmpTableMiB}M
max_heap_table_size = ${d.tmpTableMiB}M
max_connections = ${d.maxConnections}
performance_schema = OFF
skip-log-bin
loose-temptable_max_ram = ${d.tmpTableMiB * d.maxConnections}M
`;
}

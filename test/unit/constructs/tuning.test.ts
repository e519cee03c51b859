import { afterEach, describe, expect, it } from 'vitest';
import { PLANS, planProblems, planTable, type KubeObject } from '../../../constructs/index.js';
import type { PlanSpec } from '../../../constructs/plans.js';
import {
  apacheMpmConf, DATABASE_CONF_PATH, databaseCnf, databaseWorstCaseMiB, MEMORY_MODEL, PHP_INI_DIR, PHP_INI_FILE, PHP_INI_SCAN_DIR, phpIni,
  webWorstCaseMiB,
} from '../../../constructs/woocommerce/tuning.js';
import { allObjects, podTemplates, synth } from './fixtures.js';

// Apache, PHP and database sizing per plan: what each plan emits (snapshots), that the worst case of
// each fits its container (invariants), and that a plan which would not fit fails synthesis.

type Mount = { name: string; mountPath: string; subPath?: string };
type Volume = { name: string; configMap?: { name: string; items?: { key: string; path: string }[] } };
const configMap = (objects: KubeObject[], name: string) => (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as KubeObject & { data: Record<string, string> }).data;
const setting = (text: string, key: string) => new RegExp(`^${key.replace(/\./g, '\\.')}\\s*=\\s*(.+)$`, 'm').exec(text)?.[1];

describe.each(PLANS)('WooCommerce tuning on plan %s', (plan) => {
  const row = planTable[plan];
  const objects = allObjects(synth({ plan }));
  const wordpress = podTemplates(objects).find((t) => t.owner.metadata.name === 'wordpress')!;
  const mysql = podTemplates(objects).find((t) => t.owner.metadata.name === 'mysql')!;

  it('emits the Apache, PHP and database files of the plan', () => {
    expect({ apache: apacheMpmConf(row), php: phpIni(row), database: databaseCnf(row) }).toMatchSnapshot();
  });

  it('keeps every worker at memory_limit, opcache and Apache under the WordPress container limit', () => {
    const web = row.tuning.web;
    const worst = MEMORY_MODEL.apacheParentMiB + web.opcacheMiB + web.maxRequestWorkers * (web.phpMemoryLimitMiB + MEMORY_MODEL.phpWorkerOverheadMiB);
    expect(webWorstCaseMiB(web)).toBe(worst);
    expect(worst).toBeLessThanOrEqual(row.components.wordpress.limits.memoryMiB);
    const files = configMap(objects, 'wordpress-apache');
    expect(setting(files[PHP_INI_FILE]!, 'memory_limit')).toBe(`${web.phpMemoryLimitMiB}M`);
    expect(setting(files[PHP_INI_FILE]!, 'opcache.memory_consumption')).toBe(String(web.opcacheMiB));
    expect(files['zz-store-platform-mpm.conf']).toMatch(new RegExp(`^\\s*MaxRequestWorkers ${web.maxRequestWorkers}$`, 'm'));
    expect(files['zz-store-platform-mpm.conf']).toMatch(new RegExp(`^\\s*ServerLimit ${web.maxRequestWorkers}$`, 'm'));
    // post_max_size above upload_max_filesize, or an upload at the limit is refused
    expect(parseInt(setting(files[PHP_INI_FILE]!, 'post_max_size')!, 10)).toBeGreaterThan(web.uploadMaxMiB);
  });

  it('stops WordPress raising PHP\'s memory limit past the plan\'s (dashboard, image edits)', () => {
    const extra = wordpress.spec.containers[0]!.env!.find((e) => e.name === 'WORDPRESS_CONFIG_EXTRA')!.value!;
    expect(extra).toContain(`define('WP_MEMORY_LIMIT', '${row.tuning.web.phpMemoryLimitMiB}M');`);
    expect(extra).toContain(`define('WP_MAX_MEMORY_LIMIT', '${row.tuning.web.phpMemoryLimitMiB}M');`);
  });

  it('mounts the PHP file where PHP_INI_SCAN_DIR points, after the image\'s own directory, and the prefork file in conf-enabled', () => {
    const c = wordpress.spec.containers[0]! as unknown as { env: { name: string; value?: string }[]; volumeMounts: Mount[] };
    expect(c.env.find((e) => e.name === 'PHP_INI_SCAN_DIR')?.value).toBe(PHP_INI_SCAN_DIR);
    expect(PHP_INI_SCAN_DIR.split(':')).toEqual(['', PHP_INI_DIR]);
    const volumes = wordpress.spec.volumes as Volume[];
    const phpMount = c.volumeMounts.find((m) => m.mountPath === PHP_INI_DIR)!;
    expect(volumes.find((v) => v.name === phpMount.name)?.configMap).toEqual({ name: 'wordpress-apache', items: [{ key: PHP_INI_FILE, path: PHP_INI_FILE }] });
    expect(c.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/etc/apache2/conf-enabled/zz-store-platform-mpm.conf', subPath: 'zz-store-platform-mpm.conf' }));
  });

  it('keeps the buffer pool and every connection with a full temporary table under the database limit, binary logs off', () => {
    const d = row.tuning.database;
    expect(databaseWorstCaseMiB(d)).toBeLessThanOrEqual(row.components.mysql.limits.memoryMiB);
    expect(d.innodbBufferPoolMiB % 128).toBe(0);
    expect(d.maxConnections).toBeGreaterThanOrEqual(row.tuning.web.maxRequestWorkers + MEMORY_MODEL.connectionsBesideWorkers);
    const cnf = configMap(objects, 'mysql-config')['zz-store-platform.cnf']!;
    expect(setting(cnf, 'innodb_buffer_pool_size')).toBe(`${d.innodbBufferPoolMiB}M`);
    expect(setting(cnf, 'tmp_table_size')).toBe(`${d.tmpTableMiB}M`);
    expect(setting(cnf, 'max_heap_table_size')).toBe(`${d.tmpTableMiB}M`);
    expect(setting(cnf, 'max_connections')).toBe(String(d.maxConnections));
    expect(cnf).toMatch(/^skip-log-bin$/m);
    const c = mysql.spec.containers[0]! as unknown as { volumeMounts: Mount[] };
    expect(c.volumeMounts).toContainEqual({ name: 'config', mountPath: DATABASE_CONF_PATH, subPath: 'zz-store-platform.cnf', readOnly: true });
  });

  it('emits only database options both MySQL 8.4 and MariaDB know, or loose- ones', () => {
    // the options MariaDB 10.11 and MySQL 8.4 both accept in [mysqld]; the integration test starts MariaDB with the file
    const shared = new Set(['innodb_buffer_pool_size', 'tmp_table_size', 'max_heap_table_size', 'max_connections', 'performance_schema', 'skip-log-bin']);
    const keys = databaseCnf(row).split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('[')).map((l) => l.split('=')[0]!.trim());
    for (const k of keys) expect(shared.has(k) || k.startsWith('loose-'), k).toBe(true);
  });

  it('sizes the setup Job for a WooCommerce install (wp-cli lifts PHP\'s limit: the container is the cap)', () => {
    const setup = podTemplates(objects).find((t) => t.owner.metadata.name === 'store-setup')!;
    expect(setup.spec.containers[0]!.resources!.limits!['memory']).toBe('512Mi');
  });

  it('leaves room in the quota for every ConfigMap, the cluster\'s root CA and a backup run\'s', () => {
    const ours = objects.filter((o) => o.kind === 'ConfigMap').length;
    expect(ours + 2).toBeLessThanOrEqual(row.quota.configMaps);
  });
});

describe('the tuning fit check', () => {
  const saved = structuredClone(planTable.small.tuning);
  const small = planTable.small as { tuning: PlanSpec['tuning'] };
  afterEach(() => { small.tuning = structuredClone(saved); });

  it('fails synthesis naming the worst case when the workers would not fit the WordPress limit', () => {
    small.tuning = { ...saved, web: { ...saved.web, maxRequestWorkers: 8 } };
    expect(() => synth({ plan: 'small' })).toThrow(/plan small: wordpress worst case 1856 MiB \(Apache 32 \+ opcache 96 \+ 8 workers x \(memory_limit 192 \+ 24\)\) exceeds its 1024 MiB memory limit/);
  });

  it('fails synthesis naming the worst case when the buffer pool would not fit the database limit', () => {
    small.tuning = { ...saved, database: { ...saved.database, innodbBufferPoolMiB: 1024 } };
    expect(() => synth({ plan: 'small' })).toThrow(/plan small: database worst case \d+ MiB \(server 160 \+ buffer pool 1024 \+ 12 connections x \(3 \+ tmp table 16\)\) exceeds its 1024 MiB memory limit/);
  });

  it('refuses settings a server would round or that leave the workers without connections', () => {
    const bad: PlanSpec = { ...planTable.small, tuning: { web: { ...saved.web, maxRequestWorkers: 0 }, database: { ...saved.database, innodbBufferPoolMiB: 500, maxConnections: 4 } } };
    const problems = planProblems(bad).join('\n');
    expect(problems).toMatch(/tuning maxRequestWorkers must be a positive integer, got 0/);
    expect(problems).toMatch(/innodbBufferPoolMiB must be a multiple of 128/);
    expect(problems).toMatch(/maxConnections 4 is below 5/);
  });
});

import { BatchV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInImage } from '../../infra/images/images.js';
import { REAL_NODE } from '../../infra/cluster/real-node/index.js';
import { backupSettings, platformSettings, loadConfig } from '../../src/config.js';
import { BACKUP_NAMES, backupCredentialsSecret, backupRepositorySecret, engines } from '../../constructs/index.js';
import { newBackupId } from '../../src/provisioner/backups.js';
import { backupTargetConfig, startS3 } from '../integration/backup-stack.js';
import { planTable } from '../../constructs/plans.js';
import { synthStoreFromSpec } from '../../src/manifests/synth.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { BASE_DOMAIN, BUSYBOX, execIn, importStandInImage, ON_REAL_NODE, REAL_NODE_STORE_CONFIG, realCluster, realKubeConfig, RESTRICTED_CONTAINER, runOnce, tcpProbe, testNamespace, until, viaIngress } from './support.js';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A WooCommerce store provisioned by the platform onto the real node, with the stand-in images:
// namespace -> guardrails -> secrets -> policies -> MariaDB -> WordPress run for real. wp-cli and the
// WooCommerce plugin are on no registry this machine reaches, so store-setup cannot install the shop:
// its Job runs the stand-in's placeholder `wp`, which says so and fails (asserted below), and the
// store never reaches Ready here. test/e2e-real covers setup, check and an order on a real cluster.

const realNodeConfig = REAL_NODE_STORE_CONFIG;

interface TimelineEvent { step: string; phase: string; message?: string }

describe('a WooCommerce store on the real node (stand-in images; store-setup cannot run: no wp-cli here)', () => {
  let h: ApiHarness;
  let id = '';
  let name = '';
  let namespace = '';
  const core = realKubeConfig().makeApiClient(CoreV1Api);

  beforeAll(async () => {
    realCluster();
    for (const name of ['mariadb', 'wordpress', 'wp-cli', 'curl', 'backup'] as const) {
      if (!existsSync(standInImage(name).archive)) throw new Error(`stand-in image ${name} is not built: bash infra/images/build.sh ${name}`);
    }
    h = await startApi(realNodeConfig);
    name = h.name('real-shop');
    const res = await h.call('POST', '/api/v1/stores', { body: specFor(name, { plan: 'small' }) });
    expect(res.status).toBe(202);
    ({ id, namespace } = (await res.json()) as { id: string; namespace: string });
    // the real database and web server start, then store-setup begins
    const expected = ['namespace', 'guardrails', 'secrets', 'network-policy', 'mysql', 'wordpress'];
    await until('the steps up to WordPress', async () => {
      const done = new Set((await timeline()).filter((e) => e.phase === 'succeeded').map((e) => e.step));
      return expected.every((s) => done.has(s)) ? true : undefined;
    }, 300_000);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function timeline(): Promise<TimelineEvent[]> {
    const body = (await (await h.call('GET', `/api/v1/stores/${id}/events`)).json()) as { items: TimelineEvent[] };
    return body.items;
  }

  async function podsOf(component: string): Promise<V1Pod[]> {
    const list = await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${component}` });
    return list.items;
  }

  it('runs MariaDB and WordPress for real on real-0, Ready, non-root, within the plan limits', async () => {
    for (const component of ['mysql', 'wordpress']) {
      const pods = await podsOf(component);
      expect(pods.length, component).toBeGreaterThan(0);
      for (const pod of pods) {
        expect(pod.spec?.nodeName).toBe(REAL_NODE.name);
        expect(pod.status?.containerStatuses?.every((c) => c.ready && c.state?.running), component).toBe(true);
        expect(pod.spec?.securityContext?.runAsNonRoot).toBe(true);
        for (const c of pod.spec?.containers ?? []) expect(c.resources?.limits?.memory, `${component}/${c.name}`).toBeTruthy();
      }
    }
    const ns = await core.readNamespace({ name: namespace });
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('has real database logs', async () => {
    const [db] = await podsOf('mysql');
    const logs = await core.readNamespacedPodLog({ name: db!.metadata!.name!, namespace, container: db!.spec!.containers[0]!.name });
    expect(logs).toMatch(/ready for connections/i);
  });

  /** The log of `container` (default: the first) of the first failed pod of a Job, '' until one failed. */
  async function failedLog(job: string, container?: string): Promise<string> {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` });
    const done = pods.items.find((p) => p.status?.phase === 'Failed');
    if (!done) return '';
    return core.readNamespacedPodLog({ name: done.metadata!.name!, namespace, container: container ?? done.spec!.containers[0]!.name });
  }

  it('fails store-setup honestly: the stand-in wp-cli says it is not available here', async () => {
    await expect.poll(() => failedLog('store-setup'), { timeout: 180_000, interval: 2000 }).toMatch(/wp-cli is not available/);
    expect((await (await h.call('GET', `/api/v1/stores/${id}`)).json())).not.toMatchObject({ status: 'Ready' });
  });

  it('serves WordPress through Traefik by the store host, and WordPress reaches its own database (the test applies the Ingress step store-setup would have led to)', async () => {
    const spec = specFor(name, { plan: 'small' }) as Parameters<typeof synthStoreFromSpec>[0];
    const ingress = synthStoreFromSpec(spec, platformSettings(loadConfig(realNodeConfig))).find((s) => s.name === 'ingress');
    const api = KubernetesObjectApi.makeApiClient(realKubeConfig());
    for (const obj of ingress!.objects) await api.create(obj as never);
    // an installed-nothing WordPress that reached its database redirects to the installer; one that
    // could not would answer 500 "Error establishing a database connection"
    await expect.poll(async () => {
      const res = await viaIngress(`${name}.${BASE_DOMAIN}`);
      return `${res.status} ${res.location ?? ''}`;
    }, { timeout: 90_000, interval: 1000 }).toMatch(/^302 .*wp-admin\/install\.php/);
  });

  it('runs MariaDB and WordPress with the small plan\'s emitted settings, and a burst of requests at PHP\'s memory limit fits the container (no OOMKill)', async () => {
    const tuning = planTable.small.tuning;
    const [db] = await podsOf('mysql');
    const mib = 1024 * 1024;
    const vars = (await execIn(namespace, db!.metadata!.name!, 'mysql', ['sh', '-c',
      'MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql -uroot -N -e "SELECT @@innodb_buffer_pool_size, @@tmp_table_size, @@max_connections, @@log_bin"'])).trim().split('\t').map(Number);
    expect(vars).toEqual([tuning.database.innodbBufferPoolMiB * mib, tuning.database.tmpTableMiB * mib, tuning.database.maxConnections, 0]);

    // a probe page in the docroot (an emptyDir www-data writes): PHP's settings as mod_php sees them, and on
    // ?hold=1 a request that takes memory_limit less 40 MiB, queries the database and holds it for a second
    const [wp] = await podsOf('wordpress');
    const probe = `<?php
if (!isset($_GET['hold'])) { echo json_encode(['memory_limit' => ini_get('memory_limit'), 'upload_max_filesize' => ini_get('upload_max_filesize'),
  'opcache' => extension_loaded('Zend OPcache') ? ini_get('opcache.memory_consumption') : 'not loaded']); exit; }
$mb = (int) ini_get('memory_limit') - 40;
$hold = str_repeat('x', $mb * 1048576);
$db = mysqli_connect(getenv('WORDPRESS_DB_HOST'), getenv('WORDPRESS_DB_USER'), getenv('WORDPRESS_DB_PASSWORD'), getenv('WORDPRESS_DB_NAME'));
$rows = mysqli_query($db, 'SELECT table_name, COUNT(*) FROM information_schema.columns GROUP BY table_name ORDER BY 2 DESC')->num_rows;
sleep(1);
echo strlen($hold) >> 20, ' ', $rows;
`;
    await execIn(namespace, wp!.metadata!.name!, 'wordpress', ['sh', '-c', `echo ${Buffer.from(probe).toString('base64')} | base64 -d > /var/www/html/sp-probe.php`]);
    const host = `${name}.${BASE_DOMAIN}`;
    const settings = JSON.parse((await viaIngress(host, '/sp-probe.php')).body) as Record<string, string>;
    expect(settings).toMatchObject({ memory_limit: `${tuning.web.phpMemoryLimitMiB}M`, upload_max_filesize: `${tuning.web.uploadMaxMiB}M` });
    // the official image always loads opcache; the stand-in only when Debian's package came with it
    expect([String(tuning.web.opcacheMiB), 'not loaded']).toContain(settings['opcache']);
    expect(await execIn(namespace, wp!.metadata!.name!, 'wordpress', ['sh', '-c', '. /etc/apache2/envvars && apache2 -t 2>&1'])).toMatch(/Syntax OK/);

    // three times the workers at once: prefork serves its MaxRequestWorkers, the rest wait in the backlog
    const burst = await Promise.all(Array.from({ length: 3 * tuning.web.maxRequestWorkers }, () => viaIngress(host, '/sp-probe.php?hold=1', { timeoutMs: 60_000 })));
    expect(burst.map((r) => r.status)).toEqual(burst.map(() => 200));
    expect(burst[0]!.body).toMatch(new RegExp(`^${tuning.web.phpMemoryLimitMiB - 40} \\d+$`));
    for (const component of ['mysql', 'wordpress']) {
      for (const pod of await podsOf(component)) {
        for (const c of pod.status?.containerStatuses ?? []) {
          expect({ component, restarts: c.restartCount, last: c.lastState?.terminated?.reason ?? null }).toEqual({ component, restarts: 0, last: null });
        }
      }
    }
    await execIn(namespace, wp!.metadata!.name!, 'wordpress', ['rm', '-f', '/var/www/html/sp-probe.php']);
  });

  it('runs the store-check Job through Traefik on the store host: WordPress answers it (with the installer, as no wp-cli set the shop up here)', async () => {
    const spec = specFor(name, { plan: 'small' }) as Parameters<typeof synthStoreFromSpec>[0];
    const step = synthStoreFromSpec(spec, platformSettings(loadConfig(realNodeConfig))).find((s) => s.name === 'store-check');
    const job = structuredClone(step!.objects.find((o) => o.kind === 'Job')) as V1Job;
    // one attempt: the storefront cannot answer 200 without the shop, and the Job's retries would wait minutes
    job.spec!.backoffLimit = 0;
    const checkout = job.spec!.template.spec!.initContainers!.find((c) => c.name === 'checkout')!;
    checkout.env = checkout.env!.map((e) => (e.name === 'ATTEMPTS' ? { ...e, value: '1' } : e));
    await KubernetesObjectApi.makeApiClient(realKubeConfig()).create(job as never);
    // 302 comes only from WordPress behind Traefik's rule for this host: Traefik answers 404 to other
    // hosts, and a refused policy or an unresolved controller name would leave curl with 000
    // the checkout init container fails, so its order-removal container never starts
    await expect.poll(() => failedLog('store-check', 'checkout'), { timeout: 120_000, interval: 2000 }).toMatch(/FAILED: storefront GET \/: HTTP 302 \(wanted 200\) after 1 attempts/);
  });

  it('runs a WP-Cron run from the store\'s CronJob, which reaches WordPress through its policy (a 302 to the installer: no wp-cli set the shop up here)', async () => {
    const batch = realKubeConfig().makeApiClient(BatchV1Api);
    const cron = await batch.readNamespacedCronJob({ name: 'wp-cron', namespace });
    // what the CronJob would start at its next minute, started now
    await batch.createNamespacedJob({ namespace, body: { metadata: { name: 'wp-cron-now', labels: cron.spec!.jobTemplate.metadata?.labels ?? {} }, spec: cron.spec!.jobTemplate.spec! } });
    await expect.poll(async () => (await batch.readNamespacedJobStatus({ name: 'wp-cron-now', namespace })).status?.succeeded ?? 0, { timeout: 120_000, interval: 2000 }).toBe(1);
    const [pod] = (await core.listNamespacedPod({ namespace, labelSelector: 'job-name=wp-cron-now' })).items;
    const log = await core.readNamespacedPodLog({ name: pod!.metadata!.name!, namespace, container: 'cron' });
    expect(log).toMatch(/^wp-cron\.php: HTTP 302 in [\d.]+ s$/m);
  });

  it('refuses packets from another namespace to the database and to WordPress, opens the database to its clients only', async () => {
    const [db] = await podsOf('mysql');
    const [wp] = await podsOf('wordpress');
    const outsider = await testNamespace('outsider');
    try {
      const toDb = (await runOnce(outsider.name, tcpProbe(db!.status!.podIP!, 3306))).logs.trim();
      const toWeb = (await runOnce(outsider.name, tcpProbe(wp!.status!.podIP!, 8080))).logs.trim();
      expect({ toDb, toWeb }).toEqual({ toDb: 'REFUSED', toWeb: 'REFUSED' });
    } finally {
      await outsider.remove();
    }
  });

  it('keeps the database across deleting its pod (the data lives on a local-path volume)', async () => {
    const [db] = await podsOf('mysql');
    const sql = async (pod: string, statement: string): Promise<string> => execIn(namespace, pod, 'mysql',
      ['sh', '-c', `MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql -uroot -N -e "${statement}"`]);
    await sql(db!.metadata!.name!, 'CREATE DATABASE IF NOT EXISTS survival; CREATE TABLE IF NOT EXISTS survival.t (v VARCHAR(20)); INSERT INTO survival.t VALUES (\'kept\')');
    await core.deleteNamespacedPod({ name: db!.metadata!.name!, namespace });
    await expect.poll(async () => {
      const [next] = await podsOf('mysql');
      return next && next.metadata?.uid !== db!.metadata?.uid && next.status?.containerStatuses?.every((c) => c.ready) ? next.metadata!.name! : '';
    }, { timeout: 120_000, interval: 1000 }).not.toBe('');
    const [again] = await podsOf('mysql');
    expect(await sql(again!.metadata!.name!, 'SELECT v FROM survival.t')).toContain('kept');
  });

  it('serves the real log lines of the database through the logs endpoint', async () => {
    const res = await h.call('GET', `/api/v1/stores/${id}/logs?component=mysql&tail=500`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { entries: { pod: string; lines: string[] }[] };
    expect(body.entries.flatMap((e) => e.lines).join('\n')).toMatch(/ready for connections/i);
  });

  it('reports a pod over its memory limit as OOMKilled in the store health', async () => {
    const hog = 'memory-hog';
    await core.createNamespacedPod({ namespace, body: {
      metadata: { name: hog },
      spec: { ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], restartPolicy: 'Never', automountServiceAccountToken: false,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'hog', image: BUSYBOX, imagePullPolicy: 'Never', securityContext: RESTRICTED_CONTAINER,
          // a shell variable of 200 MB in a container allowed 32 MiB
          command: ['/bin/busybox', 'sh', '-c', 'x=$(/bin/busybox head -c 200000000 /dev/zero | /bin/busybox tr "\\0" a); echo survived'],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } } }] },
    } });
    await expect.poll(async () => {
      const health = (await (await h.call('GET', `/api/v1/stores/${id}/health`)).json()) as { pods: { name: string; lastTermination: string | null }[] };
      return health.pods.find((p) => p.name === hog)?.lastTermination ?? null;
    }, { timeout: 60_000, interval: 1000 }).toBe('OOMKilled');
    await core.deleteNamespacedPod({ name: hog, namespace, gracePeriodSeconds: 0 });
  });

  it('restarts the real WordPress pod through the restart action', async () => {
    const [before] = await podsOf('wordpress');
    const res = await h.call('POST', `/api/v1/stores/${id}/actions/restart`, { body: { component: 'wordpress' } });
    expect(res.status).toBe(202);
    await expect.poll(async () => {
      const pods = await podsOf('wordpress');
      return pods.some((p) => p.metadata?.uid !== before!.metadata?.uid && p.status?.containerStatuses?.every((c) => c.ready));
    }, { timeout: 120_000, interval: 1000 }).toBe(true);
  });

  it('backs up and restores the real MariaDB and wp-content with the store\'s own backup and restore Jobs on real-0 (applied by the test: with no wp-cli the store is never Ready, so the platform does not run them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-real-woo-backup-'));
    mkdirSync(join(dir, 's3', 'store-backups'), { recursive: true });
    // on the bridge address: the backup pods' egress policy opens it and nothing else
    const s3 = await startS3(join(dir, 's3'), undefined, REAL_NODE.ip);
    try {
      importStandInImage('backup');
      const config = loadConfig({ ...realNodeConfig, ...backupTargetConfig(s3, 'store-backups', 'unused-escrow', randomBytes(32)), BACKUP_IMAGE: standInImage('backup').ref });
      const target = backupSettings(config)!.target;
      const platform = platformSettings(config);
      const spec = specFor(name, { plan: 'small' }) as Parameters<typeof synthStoreFromSpec>[0];
      const objects = KubernetesObjectApi.makeApiClient(realKubeConfig());
      const batch = realKubeConfig().makeApiClient(BatchV1Api);
      const apply = async (list: readonly object[]) => {
        for (const obj of list) await objects.create(obj as never).catch((err: { code?: number }) => { if (err.code !== 409) throw err; });
      };
      /** Runs a Job to its end; the script's result line (its termination message), or its FAILED line as the error. */
      const finished = async (job: string): Promise<string> => {
        await expect.poll(async () => {
          const st = (await batch.readNamespacedJobStatus({ name: job, namespace })).status;
          return (st?.succeeded ?? 0) + (st?.failed ?? 0);
        }, { timeout: 240_000, interval: 2000 }).toBeGreaterThan(0);
        const [pod] = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` })).items;
        const message = pod?.status?.containerStatuses?.[0]?.state?.terminated?.message ?? '';
        expect(pod?.status?.phase, message).toBe('Succeeded');
        return message;
      };
      await apply([backupRepositorySecret(name, randomBytes(24).toString('hex')), backupCredentialsSecret(name, { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey })]);

      // rows of our own in the WordPress database, a file of our own in wp-content
      const [db] = await podsOf('mysql');
      const sql = (statement: string) => execIn(namespace, db!.metadata!.name!, 'mysql',
        ['sh', '-c', 'MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql -uroot -N "$MYSQL_DATABASE" -e "$1"', 'sql', statement]);
      await sql("CREATE TABLE sp_probe (id INT PRIMARY KEY, note VARCHAR(64)); INSERT INTO sp_probe SELECT seq, MD5(seq) FROM seq_1_to_3000");
      const rows = async () => (await sql('SELECT COUNT(*), MD5(GROUP_CONCAT(id, note ORDER BY id)) FROM sp_probe')).trim();
      const before = await rows();
      expect(before).toMatch(/^3000\t[0-9a-f]{32}$/);
      const [wp] = await podsOf('wordpress');
      const upload = '/var/www/html/wp-content/uploads/sp-probe.txt';
      await execIn(namespace, wp!.metadata!.name!, 'wordpress', ['sh', '-c', `mkdir -p "$(dirname ${upload})" && echo kept-by-the-backup > ${upload}`]);

      const backupId = newBackupId(new Date());
      await apply(engines.woocommerce!.backup.backupObjects(name, { spec, platform, target, backupId }));
      const result = JSON.parse(await finished(`${BACKUP_NAMES.backupJobPrefix}${backupId}`)) as { backup: string; sizeBytes: number; files: number };
      expect(result).toMatchObject({ backup: backupId, files: expect.any(Number) });
      expect(result.sizeBytes).toBeGreaterThan(100_000); // the dump of a database with 3000 rows and WordPress's tables
      expect(readdirSync(join(dir, 's3', 'store-backups', 'stores', name))).toEqual(expect.arrayContaining(['config', 'data', 'keys', 'snapshots']));

      // damage, then restore with WordPress scaled down (as the platform does)
      await sql('DROP TABLE sp_probe');
      await execIn(namespace, wp!.metadata!.name!, 'wordpress', ['sh', '-c', `rm ${upload} && echo not-in-the-backup > /var/www/html/wp-content/uploads/sp-later.txt`]);
      const scale = (replicas: number) => objects.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'wordpress', namespace }, spec: { replicas } } as never,
        undefined, undefined, 'store-platform-test', undefined, PatchStrategy.MergePatch);
      await scale(0);
      await expect.poll(async () => (await podsOf('wordpress')).length, { timeout: 120_000, interval: 1000 }).toBe(0);
      await apply(engines.woocommerce!.backup.restoreObjects(name, { spec, platform, target, backupId }));
      expect(await finished(`${BACKUP_NAMES.restoreJobPrefix}${backupId}`)).toContain(`"restored":"${backupId}"`);
      await scale(1);

      expect(await rows()).toBe(before);
      await expect.poll(async () => {
        const [next] = await podsOf('wordpress');
        return next?.status?.containerStatuses?.every((c) => c.ready) ? next.metadata!.name! : '';
      }, { timeout: 120_000, interval: 1000 }).not.toBe('');
      const [again] = await podsOf('wordpress');
      expect(await execIn(namespace, again!.metadata!.name!, 'wordpress', ['sh', '-c', 'cat /var/www/html/wp-content/uploads/sp-probe.txt; ls /var/www/html/wp-content/uploads'])).toBe('kept-by-the-backup\nsp-probe.txt\n');
      // WordPress reaches its restored database again (the installer redirect, as before)
      await expect.poll(async () => (await viaIngress(`${name}.${BASE_DOMAIN}`)).status, { timeout: 90_000, interval: 1000 }).toBe(302);
    } finally {
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes the store\'s volumes from the disk when the store is deleted', async () => {
    const volumesDir = join(realCluster().realNode.dir, 'volumes');
    const ours = (): string[] => (existsSync(volumesDir) ? readdirSync(volumesDir) : []).filter((d) => d.includes(`_${namespace}_`));
    expect(ours().length).toBeGreaterThanOrEqual(2); // database and wp-content
    const res = await h.call('DELETE', `/api/v1/stores/${id}`);
    expect(res.status).toBe(202);
    await expect.poll(ours, { timeout: 180_000, interval: 1000 }).toEqual([]);
  });
});


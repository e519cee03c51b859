import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, BatchV1Api, CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_BACKUP_FAILURE_PREFIX, SIMULATED_RESTORE_REFUSAL_PREFIX } from '../../infra/cluster/kwok-config.js';
import { DEFAULT_IMAGES } from '../../constructs/index.js';
import { openPassword } from '../../src/backup/escrow.js';
import { AuditRepo } from '../../src/db/repos/audit-repo.js';
import { latestSlot } from '../../src/provisioner/backup-schedule.js';
import { REPLICAS_BEFORE_RESTORE } from '../../src/provisioner/backups.js';
import { createTestNamespace, deleteNamespace, kubeConfig, statusOf } from '../support/cluster.js';
import { specFor, startApi, type ApiHarness } from './api-harness.js';
import { backupTargetConfig, startS3, type S3Server } from './backup-stack.js';

// Backups and restores through the API on the simulated cluster, against a real S3 server (versitygw)
// for the start-up check. kwok runs no container: its backup stages (infra/cluster/stages/pod-backup-*.yaml)
// end the backup and restore pods as the scripts do, with their result line or their FAILED line, so
// these tests assert everything around the Jobs: the objects, the Secrets and the escrow, the rows, the
// store's status and maintenance, authorization and every refusal. The scripts themselves run in
// backup-roundtrip.test.ts.

const ESCROW_KEY = randomBytes(32);
const BUCKET = 'store-backups';

let h: ApiHarness;
let plain: ApiHarness;
let s3: S3Server;
let dir: string;
let escrowNamespace: string;
const kc = kubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const batch = kc.makeApiClient(BatchV1Api);
const net = kc.makeApiClient(NetworkingV1Api);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sp-api-backups-'));
  const root = join(dir, 's3');
  mkdirSync(join(root, BUCKET), { recursive: true }); // versitygw's posix backend: a bucket is a folder
  s3 = await startS3(root);
  escrowNamespace = await createTestNamespace('sp-escrow');
  // this file makes more stores in a minute than the default create limit lets one key make
  h = await startApi({ ...backupConfig(), STORE_RELEASES: WOO_RELEASES, RATE_LIMIT_CREATE_PER_MINUTE: 100, RATE_LIMIT_MUTATION_PER_MINUTE: 1_000 });
  plain = await startApi();
}, 120_000);

afterAll(async () => {
  await h?.close();
  await plain?.close();
  await s3?.stop();
  if (escrowNamespace) await deleteNamespace(escrowNamespace, false).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

// WooCommerce releases: the base one, a plugin upgrade, and a WordPress image whose name does not parse
// (InvalidImageName: the step fails at once)
const BASE = '7.0.2-wc11.2.0';
const WOO_RELEASES = {
  woocommerce: {
    releases: [
      { version: BASE, upgradesFrom: [] },
      { version: '7.0.2-wc11.3.0', woocommerceVersion: '11.3.0', upgradesFrom: [BASE] },
      { version: '7.0.3-wc11.2.0', images: { wordpress: 'Broken/wordpress:7.0.3' }, upgradesFrom: [BASE] },
    ],
  },
};

const backupConfig = () => backupTargetConfig(s3, BUCKET, escrowNamespace, ESCROW_KEY);

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface Store { id: string; status: string; statusReason: string | null; namespace: string; name: string }
interface Backup { id: string; kind: string; status: string; sizeBytes: number | null; durationMs: number | null; startedAt: string | null; expiresAt: string | null; errorStep: string | null; errorReason: string | null }
interface Restore { id: string; status: string; step: string | null; errorStep: string | null; errorReason: string | null }

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function readyStore(api: ApiHarness, prefix: string, over: Record<string, unknown> = {}): Promise<Store> {
  const name = api.name(prefix);
  const created = await api.call('POST', '/api/v1/stores', { body: specFor(name, over) });
  expect(created.status, await created.clone().text()).toBe(202);
  const { id } = await json<Store>(created);
  return waitFor(async () => {
    const s = await json<Store>(await api.call('GET', `/api/v1/stores/${id}`));
    if (s.status === 'Failed') throw new Error(`store ${name} failed: ${s.statusReason}`);
    return s.status === 'Ready' ? s : undefined;
  }, 400_000, `store ${name} Ready`);
}

async function backupDone(storeId: string, backupId: string): Promise<Backup> {
  return waitFor(async () => {
    const b = await json<Backup>(await h.call('GET', `/api/v1/stores/${storeId}/backups/${backupId}`));
    return b.status === 'Succeeded' || b.status === 'Failed' ? b : undefined;
  }, 300_000, `backup ${backupId}`);
}

async function restoreDone(storeId: string, restoreId: string): Promise<Restore> {
  return waitFor(async () => {
    const { items } = await json<{ items: Restore[] }>(await h.call('GET', `/api/v1/stores/${storeId}/restores`));
    const r = items.find((x) => x.id === restoreId);
    return r && (r.status === 'Succeeded' || r.status === 'Failed') ? r : undefined;
  }, 400_000, `restore ${restoreId}`);
}

async function secretData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
  try {
    const s = await core.readNamespacedSecret({ namespace, name });
    return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

async function timeline(storeId: string): Promise<{ step: string; phase: string; message: string }[]> {
  return (await json<{ items: { step: string; phase: string; message: string }[] }>(await h.call('GET', `/api/v1/stores/${storeId}/events`))).items;
}

async function problem(res: Response): Promise<{ status: number; code: string }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return json(res);
}

let shop: Store;
let first: Backup;

// a loaded machine provisions a store in minutes, not seconds
describe('backups over the API', { timeout: 600_000 }, () => {
  it('fails with BACKUPS_NOT_CONFIGURED on a platform without a target', async () => {
    const name = plain.name('no-target');
    const { id } = await json<Store>(await plain.call('POST', '/api/v1/stores', { body: specFor(name) }));
    expect(await problem(await plain.call('POST', `/api/v1/stores/${id}/backups`))).toMatchObject({ status: 409, code: 'BACKUPS_NOT_CONFIGURED' });
    expect(await problem(await plain.call('POST', `/api/v1/stores/${id}/restore`, { body: { backupId: 'abc' } }))).toMatchObject({ status: 409, code: 'BACKUPS_NOT_CONFIGURED' });
  });

  it('backs up a Ready store: Secrets, escrow, objects, the Job, the row from the termination message, the timeline', async () => {
    shop = await readyStore(h, 'bk-shop');
    // viewers see, only owners and admins act
    expect(await problem(await h.call('POST', `/api/v1/stores/${shop.id}/backups`, { key: h.viewerKey }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    // one backup at a time: of two at once, one is refused
    const [a, b] = await Promise.all([h.call('POST', `/api/v1/stores/${shop.id}/backups`), h.call('POST', `/api/v1/stores/${shop.id}/backups`)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([202, 409]);
    const accepted = a.status === 202 ? a : b;
    expect(await problem(a.status === 409 ? a : b)).toMatchObject({ code: 'BACKUP_IN_PROGRESS' });
    const queued = await json<Backup>(accepted);
    expect(queued).toMatchObject({ kind: 'on-demand', status: 'Pending' });

    first = await backupDone(shop.id, queued.id);
    expect(first, JSON.stringify(first)).toMatchObject({ status: 'Succeeded', sizeBytes: 4096, durationMs: 3000, errorStep: null });
    expect(new Date(first.expiresAt!).getTime() - new Date(first.startedAt!).getTime()).toBe(7 * 86_400_000); // small: 7 daily

    const ns = shop.namespace;
    const repo = await secretData(ns, 'backup-repository');
    expect(repo?.password?.length).toBeGreaterThanOrEqual(43);
    expect(await secretData(ns, 'backup-target')).toEqual({ 'access-key-id': s3.accessKey, 'secret-access-key': s3.secretKey });
    const escrow = await secretData(escrowNamespace, 'store-platform-backup-keys');
    const sealed = escrow?.[shop.name];
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(repo!.password);
    expect(openPassword(ESCROW_KEY, shop.name, sealed!)).toBe(repo!.password);

    const job = await batch.readNamespacedJob({ namespace: ns, name: `backup-${first.id}` });
    const c = job.spec!.template.spec!.containers[0]!;
    expect(c.image).toBe('store-platform/backup:0.1.0-r1');
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? `<${e.valueFrom?.secretKeyRef?.name}/${e.valueFrom?.secretKeyRef?.key}>`]));
    expect(env).toMatchObject({
      RESTIC_REPOSITORY: `s3:${s3.endpoint}/${BUCKET}/stores/${shop.name}`, BACKUP_ID: first.id, STORE_ID: shop.name, RESULT_FILE: '/dev/termination-log',
      RESTIC_PASSWORD: '<backup-repository/password>', AWS_SECRET_ACCESS_KEY: '<backup-target/secret-access-key>',
    });
    expect(job.status?.conditions?.find((x) => x.type === 'Complete')?.status).toBe('True');
    await core.readNamespacedConfigMap({ namespace: ns, name: 'backup-scripts' });
    const policy = await net.readNamespacedNetworkPolicy({ namespace: ns, name: 'backup' });
    expect(policy.spec?.egress?.[1]?.to?.[0]?.ipBlock?.cidr).toBe('127.0.0.1/32');
    await net.readNamespacedNetworkPolicy({ namespace: ns, name: 'backup-database' });

    const events = (await timeline(shop.id)).filter((e) => e.step === 'backup').map((e) => e.phase);
    expect(events).toEqual(expect.arrayContaining(['info', 'started', 'succeeded']));
    const list = await json<{ items: Backup[] }>(await h.call('GET', `/api/v1/stores/${shop.id}/backups`, { key: h.viewerKey }));
    expect(list.items.map((x) => x.id)).toEqual([first.id]);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`store_platform_backup_last_success_timestamp_seconds\\{store="${shop.name}"\\} \\d+`));
  });

  it('recovers the repository password from the escrow when the store\'s Secret is gone', async () => {
    const before = (await secretData(shop.namespace, 'backup-repository'))!.password;
    await core.deleteNamespacedSecret({ namespace: shop.namespace, name: 'backup-repository' });
    const res = await h.call('POST', `/api/v1/stores/${shop.id}/backups`);
    expect(res.status).toBe(202);
    const b = await backupDone(shop.id, (await json<Backup>(res)).id);
    expect(b.status).toBe('Succeeded');
    expect((await secretData(shop.namespace, 'backup-repository'))!.password).toBe(before);
  });

  it('restores a backup as maintenance: Restoring, app down, restore Job, app up, store check, Ready', async () => {
    expect(await problem(await h.call('POST', `/api/v1/stores/${shop.id}/restore`, { key: h.viewerKey, body: { backupId: first.id } }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await problem(await h.call('POST', `/api/v1/stores/${shop.id}/restore`, { body: { backupId: 'no-such-backup' } }))).toMatchObject({ status: 404, code: 'BACKUP_NOT_FOUND' });

    // wp-cron as the restore goes: suspended while it runs, running again after
    const cronSeen = new Set<boolean>();
    let watching = true;
    const cronWatch = (async () => {
      while (watching) {
        cronSeen.add((await batch.readNamespacedCronJob({ namespace: shop.namespace, name: 'wp-cron' })).spec?.suspend === true);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const res = await h.call('POST', `/api/v1/stores/${shop.id}/restore`, { body: { backupId: first.id } });
    expect(res.status, await res.clone().text()).toBe(202);
    const restore = await json<Restore>(res);
    expect((await json<Store>(await h.call('GET', `/api/v1/stores/${shop.id}`))).status).toBe('Restoring');
    // no second run and no delete while it restores
    expect(await problem(await h.call('POST', `/api/v1/stores/${shop.id}/backups`))).toMatchObject({ status: 409, code: 'STORE_NOT_READY' });
    expect(await problem(await h.call('DELETE', `/api/v1/stores/${shop.id}`))).toMatchObject({ status: 409, code: 'BACKUP_IN_PROGRESS' });
    expect(await problem(await h.call('POST', `/api/v1/stores/${shop.id}/restore`, { body: { backupId: first.id } }))).toMatchObject({ status: 409, code: 'BACKUP_IN_PROGRESS' });

    const done = await restoreDone(shop.id, restore.id);
    watching = false;
    await cronWatch;
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'Succeeded', step: 'check', errorReason: null });
    expect(cronSeen.has(true)).toBe(true);
    expect((await batch.readNamespacedCronJob({ namespace: shop.namespace, name: 'wp-cron' })).spec?.suspend).toBe(false);
    const store = await json<Store>(await h.call('GET', `/api/v1/stores/${shop.id}`));
    expect(store).toMatchObject({ status: 'Ready', statusReason: null });
    const wordpress = await apps.readNamespacedDeployment({ namespace: shop.namespace, name: 'wordpress' });
    expect(wordpress.spec?.replicas).toBe(1);
    expect(wordpress.metadata?.annotations?.[REPLICAS_BEFORE_RESTORE]).toBeUndefined();
    const messages = (await timeline(shop.id)).filter((e) => e.step === 'restore').map((e) => `${e.phase} ${e.message}`);
    expect(messages.join('\n')).toMatch(/started Restoring backup .*scaling wordpress down/);
    expect(messages.join('\n')).toMatch(/info App scaled down \(wordpress, CronJob wp-cron suspended\)/);
    expect(messages.at(-1)).toMatch(/^succeeded Backup .* restored; the store check passed$/);

    const audit = new AuditRepo(h.platform.db).list({ limit: 200 }).items;
    expect(audit.filter((a) => a.target === shop.id && a.action === 'store.restore').map((a) => a.outcome)).toEqual(expect.arrayContaining(['success', 'denied', 'failure']));
    expect(audit.filter((a) => a.target === shop.id && a.action === 'store.backup' && a.outcome === 'success').length).toBeGreaterThanOrEqual(2);
  });

  it('fails a backup cleanly when the target is unreachable: the row says where and why, the store keeps serving', async () => {
    const store = await readyStore(h, SIMULATED_BACKUP_FAILURE_PREFIX.replace(/-$/, ''));
    const res = await h.call('POST', `/api/v1/stores/${store.id}/backups`);
    expect(res.status).toBe(202);
    const b = await backupDone(store.id, (await json<Backup>(res)).id);
    expect(b).toMatchObject({ status: 'Failed', errorStep: 'backup' });
    expect(b.errorReason).toBe('the backup repository cannot be opened: simulated unreachable S3 endpoint (kwok)');
    expect((await json<Store>(await h.call('GET', `/api/v1/stores/${store.id}`))).status).toBe('Ready');
    expect((await timeline(store.id)).at(-1)).toMatchObject({ step: 'backup', phase: 'failed' });
    // a failed backup is listed and never restored
    expect(await problem(await h.call('POST', `/api/v1/stores/${store.id}/restore`, { body: { backupId: b.id } }))).toMatchObject({ status: 409, code: 'BACKUP_NOT_RESTORABLE' });
  });

  it('keeps the store as it was when the restore refuses the backup before writing', async () => {
    const store = await readyStore(h, SIMULATED_RESTORE_REFUSAL_PREFIX.replace(/-$/, ''));
    const b = await backupDone(store.id, (await json<Backup>(await h.call('POST', `/api/v1/stores/${store.id}/backups`))).id);
    expect(b.status).toBe('Succeeded');
    const res = await h.call('POST', `/api/v1/stores/${store.id}/restore`, { body: { backupId: b.id } });
    expect(res.status).toBe(202);
    const r = await restoreDone(store.id, (await json<Restore>(res)).id);
    expect(r).toMatchObject({ status: 'Failed', errorStep: 'restore', errorReason: 'refusing to restore: simulated damaged backup (kwok)' });
    const after = await waitFor(async () => {
      const s = await json<Store>(await h.call('GET', `/api/v1/stores/${store.id}`));
      return s.status === 'Restoring' ? undefined : s;
    }, 30_000, 'the store out of maintenance');
    expect(after.status).toBe('Ready');
    expect((await apps.readNamespacedDeployment({ namespace: store.namespace, name: 'wordpress' })).spec?.replicas).toBe(1);
    expect((await batch.readNamespacedCronJob({ namespace: store.namespace, name: 'wp-cron' })).spec?.suspend).toBe(false);
    expect((await timeline(store.id)).at(-1)?.message).toMatch(/failed at restore before changing anything: refusing to restore: .*; the store is as it was$/);
  });

  it('fails with a problem for a backup of another store, of another engine, and of a store that is not Ready', async () => {
    const other = await readyStore(h, 'bk-other');
    expect(await problem(await h.call('POST', `/api/v1/stores/${other.id}/restore`, { body: { backupId: first.id } }))).toMatchObject({ status: 422, code: 'BACKUP_OF_ANOTHER_STORE' });
    const medusa = await readyStore(h, 'bk-medusa', { engine: 'medusa' });
    expect(await problem(await h.call('POST', `/api/v1/stores/${medusa.id}/restore`, { body: { backupId: first.id } }))).toMatchObject({ status: 422, code: 'BACKUP_ENGINE_MISMATCH' });
    const pending = await json<Store>(await h.call('POST', '/api/v1/stores', { body: specFor(h.name('bk-pending')) }));
    expect(await problem(await h.call('POST', `/api/v1/stores/${pending.id}/backups`))).toMatchObject({ status: 409, code: 'STORE_NOT_READY' });
    // another owner's store and backups are not found
    const owner = await json<{ id: string }>(await h.call('POST', '/api/v1/owners', { body: { id: `own-${randomBytes(3).toString('hex')}`, name: 'Other' } }));
    const key = await json<{ key: string }>(await h.call('POST', '/api/v1/keys', { body: { name: 'other owner', role: 'owner' }, headers: { 'x-owner': owner.id } }));
    expect(await problem(await h.call('GET', `/api/v1/stores/${shop.id}/backups`, { key: key.key }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await problem(await h.call('POST', `/api/v1/stores/${shop.id}/backups`, { key: key.key }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('upgrades after a pre-upgrade backup, and rolls a failed upgrade back by restoring it', async () => {
    const store = await readyStore(h, 'upg');
    expect((await json<{ version: string }>(await h.call('GET', `/api/v1/stores/${store.id}`))).version).toBe(BASE);
    const res = await h.call('POST', `/api/v1/stores/${store.id}/actions/upgrade`, { body: { version: '7.0.2-wc11.3.0' } });
    expect(res.status, await res.clone().text()).toBe(202);
    const upgraded = await waitFor(async () => {
      const s = await json<Store & { version: string; upgradeFrom: string | null }>(await h.call('GET', `/api/v1/stores/${store.id}`));
      return s.status === 'Ready' || s.status === 'Failed' ? s : undefined;
    }, 300_000, 'upgrade');
    expect(upgraded, upgraded.statusReason ?? '').toMatchObject({ status: 'Ready', version: '7.0.2-wc11.3.0', upgradeFrom: null, statusReason: null });
    const setup = await batch.readNamespacedJob({ namespace: store.namespace, name: 'store-setup' });
    expect(setup.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'WOOCOMMERCE_VERSION')?.value).toBe('11.3.0');
    const backups = (await json<{ items: Backup[] }>(await h.call('GET', `/api/v1/stores/${store.id}/backups`))).items;
    expect(backups.filter((b) => b.kind === 'pre-upgrade').map((b) => b.status)).toEqual(['Succeeded']);

    // a failed upgrade: the old release back, then its pre-upgrade backup restored, then Ready
    const failing = await h.call('POST', `/api/v1/stores/${store.id}/actions/upgrade`, { body: { version: '7.0.3-wc11.2.0' } });
    expect(failing.status).toBe(409); // no path from 7.0.2-wc11.3.0
    expect(await problem(failing)).toMatchObject({ code: 'VERSION_NOT_ALLOWED' });
    const other = await readyStore(h, 'upg-fail');
    expect((await h.call('POST', `/api/v1/stores/${other.id}/actions/upgrade`, { body: { version: '7.0.3-wc11.2.0' } })).status).toBe(202);
    expect(await problem(await h.call('DELETE', `/api/v1/stores/${other.id}`))).toMatchObject({ status: 409 });
    const back = await waitFor(async () => {
      const s = await json<Store & { version: string }>(await h.call('GET', `/api/v1/stores/${other.id}`));
      return s.status === 'Ready' || s.status === 'Failed' ? s : undefined;
    }, 400_000, 'rollback');
    expect(back, back.statusReason ?? '').toMatchObject({ status: 'Ready', version: BASE });
    expect(back.statusReason).toMatch(/^Upgrade rolled back to 7\.0\.2-wc11\.2\.0 \(woocommerce 7\.0\.3-wc11\.2\.0 failed at .+\); its pre-upgrade backup \S+ is restored$/);
    const pre = (await json<{ items: Backup[] }>(await h.call('GET', `/api/v1/stores/${other.id}/backups`))).items.find((b) => b.kind === 'pre-upgrade')!;
    const restores = (await json<{ items: (Restore & { backupId: string })[] }>(await h.call('GET', `/api/v1/stores/${other.id}/restores`))).items;
    expect(restores).toEqual([expect.objectContaining({ backupId: pre.id, status: 'Succeeded' })]);
    const wordpress = await apps.readNamespacedDeployment({ namespace: other.namespace, name: 'wordpress' });
    expect(wordpress.spec?.template.spec?.containers[0]?.image).toBe(DEFAULT_IMAGES.wordpress);
    const tl = (await timeline(other.id)).map((e) => `${e.step} ${e.phase}`);
    expect(tl).toEqual(expect.arrayContaining(['upgrade failed', 'upgrade-rollback succeeded', 'restore succeeded']));
    const audit = new AuditRepo(h.platform.db).list({ limit: 200 }).items;
    expect(audit.filter((a) => a.target === other.id && a.action === 'store.upgrade').map((a) => a.outcome)).toEqual(['success']);
  });

  it('refuses an upgrade whose pre-upgrade backup failed, changing nothing', async () => {
    const store = await readyStore(h, `${SIMULATED_BACKUP_FAILURE_PREFIX}upg`);
    expect((await h.call('POST', `/api/v1/stores/${store.id}/actions/upgrade`, { body: { version: '7.0.2-wc11.3.0' } })).status).toBe(202);
    const done = await waitFor(async () => {
      const s = await json<Store & { version: string }>(await h.call('GET', `/api/v1/stores/${store.id}`));
      return s.status === 'Ready' ? s : undefined;
    }, 300_000, 'refusal');
    expect(done.version).toBe(BASE);
    expect(done.statusReason).toMatch(/^Upgrade to 7\.0\.2-wc11\.3\.0 refused: the pre-upgrade backup .* failed at backup: .*; nothing was changed$/);
    const setup = await batch.readNamespacedJob({ namespace: store.namespace, name: 'store-setup' });
    expect(setup.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'WOOCOMMERCE_VERSION')?.value).toBe('11.2.0');
  });

  it('takes a final backup before a delete, waits for it, and lists it after the store is Deleted', async () => {
    const res = await h.call('DELETE', `/api/v1/stores/${shop.id}`);
    expect(res.status).toBe(202);
    const deleted = await waitFor(async () => {
      const s = await json<Store>(await h.call('GET', `/api/v1/stores/${shop.id}`));
      if (s.status === 'Failed') throw new Error(`delete failed: ${s.statusReason}`);
      return s.status === 'Deleted' ? s : undefined;
    }, 400_000, 'store Deleted');
    expect(deleted.status).toBe('Deleted');
    const { items } = await json<{ items: Backup[] }>(await h.call('GET', `/api/v1/stores/${shop.id}/backups`));
    const final = items.find((b) => b.kind === 'final');
    expect(final, JSON.stringify(items)).toMatchObject({ status: 'Succeeded', sizeBytes: 4096 });
    const del = (await timeline(shop.id)).filter((e) => e.step === 'delete').map((e) => e.message);
    expect(del[0]).toMatch(new RegExp(`^Delete requested by .*; final backup ${final!.id} first$`));
    expect(del).toContain(`Final backup ${final!.id} taken; it stays listed after the store is deleted`);
    // the escrow keeps the password of the deleted store's repository
    expect((await secretData(escrowNamespace, 'store-platform-backup-keys'))?.[shop.name]).toMatch(/^v1\./);
  });

  it('makes new stores from the deleted store\'s final backup: its repository read, its data made theirs, Ready only after the check', async () => {
    const { items } = await json<{ items: Backup[] }>(await h.call('GET', `/api/v1/stores/${shop.id}/backups`));
    const final = items.find((b) => b.kind === 'final')!;
    const url = `/api/v1/backups/${final.id}/restore`;
    expect(await problem(await h.call('POST', url, { key: h.viewerKey, body: { name: h.name('bk-clone') } }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await problem(await h.call('POST', '/api/v1/backups/no-such-backup/restore', { body: { name: h.name('bk-clone') } }))).toMatchObject({ status: 404, code: 'BACKUP_NOT_FOUND' });
    expect(await problem(await plain.call('POST', url, { body: { name: h.name('bk-clone') } }))).toMatchObject({ status: 409, code: 'BACKUPS_NOT_CONFIGURED' });

    // a clone under a new name: the old store's repository through the backup-source Secret, then its URL and password made the clone's
    const sourceSecretSeen = new Set<string>();
    let watching = true;
    const made = await h.call('POST', url, { body: { name: h.name('bk-clone'), plan: 'small' } });
    expect(made.status, await made.clone().text()).toBe(202);
    const clone = await json<Store & { sourceBackupId: string; plan: string }>(made);
    expect(clone).toMatchObject({ sourceBackupId: final.id, plan: 'small', status: 'Pending' });
    const secretWatch = (async () => {
      while (watching) {
        const data = await secretData(clone.namespace, 'backup-source');
        if (data?.password !== undefined) sourceSecretSeen.add(data.password);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const statuses = new Set<string>();
    const ready = await waitFor(async () => {
      const st = await json<Store>(await h.call('GET', `/api/v1/stores/${clone.id}`));
      statuses.add(st.status);
      if (st.status === 'Failed') throw new Error(`clone failed: ${st.statusReason}`);
      return st.status === 'Ready' ? st : undefined;
    }, 400_000, 'the clone Ready');
    watching = false;
    await secretWatch;
    expect([...statuses]).toContain('Restoring');
    // the deleted store's own password, from the escrow; gone once the restore ended
    const escrowed = (await secretData(escrowNamespace, 'store-platform-backup-keys'))?.[shop.name];
    expect([...sourceSecretSeen]).toEqual([openPassword(ESCROW_KEY, shop.name, escrowed!)]);
    expect(await secretData(clone.namespace, 'backup-source')).toBeUndefined();
    // the clone has a repository of its own, with another password
    expect((await secretData(clone.namespace, 'backup-repository'))?.password).not.toBe(sourceSecretSeen.values().next().value);

    const restores = (await json<{ items: Restore[] }>(await h.call('GET', `/api/v1/stores/${clone.id}/restores`))).items;
    expect(restores).toHaveLength(1);
    expect(restores[0]).toMatchObject({ status: 'Succeeded', step: 'check', errorReason: null });
    // setup ran again after the restore (it rewrites the old URL) and the clone's admin password was applied
    const jobs = (await batch.listNamespacedJob({ namespace: clone.namespace })).items.map((j) => j.metadata?.name);
    expect(jobs).toContain(`reset-admin-password-${restores[0]!.id}`);
    const restoreRows = (await timeline(clone.id)).filter((e) => e.step === 'restore').map((e) => `${e.phase} ${e.message}`);
    expect(restoreRows[0]).toBe(`info Made from backup ${final.id} (final) of store ${shop.name}`);
    expect(restoreRows.join('\n')).toMatch(new RegExp(`info Provisioned; restoring backup ${final.id} of store ${shop.name} \\(final\\) into it`));
    expect(restoreRows.join('\n')).toMatch(new RegExp(`info Data of store ${shop.name} restored; making it this store's \\(store-setup, admin password\\)`));
    expect(restoreRows.at(-1)).toBe(`succeeded Store made from backup ${final.id} of store ${shop.name}; the store check passed`);
    const setupRuns = (await timeline(clone.id)).filter((e) => e.step === 'store-setup' && e.phase === 'started');
    expect(setupRuns).toHaveLength(1); // the re-run is the restore's (step restore), provisioning ran it once
    expect(ready).toMatchObject({ status: 'Ready', statusReason: null });

    // the deleted store brought back under its own name: its own repository (no source Secret needed), still made this store's
    const back = await json<Store>(await h.call('POST', url, { body: { name: shop.name } }));
    expect(back.name).toBe(shop.name);
    await waitFor(async () => {
      const st = await json<Store>(await h.call('GET', `/api/v1/stores/${back.id}`));
      if (st.status === 'Failed') throw new Error(`restored store failed: ${st.statusReason}`);
      return st.status === 'Ready' ? st : undefined;
    }, 400_000, 'the restored store Ready');
    const backRows = (await timeline(back.id)).filter((e) => e.step === 'restore').map((e) => e.message);
    expect(backRows.join('\n')).toMatch(/making it this store's/);
    // a retry or a spec change of a store made from a backup does not restore it again
    expect((await h.call('PATCH', `/api/v1/stores/${back.id}`, { body: { plan: 'standard' } })).status).toBe(202);
    await waitFor(async () => {
      const st = await json<Store & { observedGeneration: number; generation: number }>(await h.call('GET', `/api/v1/stores/${back.id}`));
      return st.status === 'Ready' && st.observedGeneration === st.generation ? st : undefined;
    }, 400_000, 'the plan change applied');
    expect((await json<{ items: Restore[] }>(await h.call('GET', `/api/v1/stores/${back.id}/restores`))).items).toHaveLength(1);
    const audit = new AuditRepo(h.platform.db).list({ limit: 500 }).items.filter((a) => a.action === 'backup.restore-new-store');
    expect(audit.filter((a) => a.outcome === 'success').map((a) => a.target).sort()).toEqual([clone.id, back.id].sort());
  });

  it('deletes without a final backup when an admin skips it', async () => {
    const store = await readyStore(h, 'bk-skip');
    expect((await h.call('DELETE', `/api/v1/stores/${store.id}?skipFinalBackup=true`)).status).toBe(202);
    await waitFor(async () => ((await json<Store>(await h.call('GET', `/api/v1/stores/${store.id}`))).status === 'Deleted' ? true : undefined), 120_000, 'store Deleted');
    expect((await json<{ items: Backup[] }>(await h.call('GET', `/api/v1/stores/${store.id}/backups`))).items).toEqual([]);
    expect((await timeline(store.id)).find((e) => e.step === 'delete')?.message).toMatch(/without a final backup$/);
  });

  it('backs a Ready store up by itself once per interval, as `scheduled` by the scheduler, never two in one interval', async () => {
    // the platform's own scheduler with a 20 s interval (the configuration counts in hours) and a 500 ms tick
    const intervalMs = 20_000;
    const sched = await startApi(backupConfig(), { backupSchedule: { everyMs: intervalMs, tickMs: 500 } });
    try {
      const store = await readyStore(sched, 'bk-sched');
      const since = Date.now();
      const list = async () => (await json<{ items: (Backup & { createdBy: string; createdAt: string })[] }>(
        await sched.call('GET', `/api/v1/stores/${store.id}/backups`))).items;
      const done = await waitFor(async () => {
        const items = await list();
        return items.filter((b) => b.status === 'Succeeded').length >= 2 ? items : undefined;
      }, 180_000, 'two scheduled backups');
      const elapsed = Date.now() - since;
      expect(done.every((b) => b.kind === 'scheduled' && b.createdBy === 'scheduler')).toBe(true);
      // at most one per slot: the ones taken fit the slots that passed since the store was Ready (+1 for the first, due at once)
      expect(done.length).toBeLessThanOrEqual(Math.ceil(elapsed / intervalMs) + 1);
      const starts = done.map((b) => new Date(b.createdAt).getTime()).sort((a, b) => a - b);
      const slots = starts.map((t) => latestSlot(store.id, intervalMs, t));
      expect(new Set(slots).size).toBe(slots.length);
      const requested = (await json<{ items: { step: string; message: string }[] }>(await sched.call('GET', `/api/v1/stores/${store.id}/events`))).items
        .filter((e) => e.step === 'backup' && /requested by/.test(e.message));
      expect(requested.length).toBe(done.length);
      for (const e of requested) expect(e.message).toMatch(/^Backup \S+ \(scheduled\) requested by scheduler$/);
    } finally {
      await sched.close();
    }
  });
});

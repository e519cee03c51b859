import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.js';
import { BackupsRepo } from '../../src/db/repos/backups-repo.js';
import { backupTargetConfig, startS3, type S3Server } from './backup-stack.js';
import { namespaceFor } from '../../constructs/index.js';
import { buildPlatform } from '../bench/lib/build.js';
import { ApiClient, startPlatformProcess, type PlatformProcess } from '../bench/lib/platform.js';
import { createTestNamespace, deleteNamespace, kubeconfigPath, kubeConfig } from '../support/cluster.js';
import { AppsV1Api, BatchV1Api } from '@kubernetes/client-node';
import { SIMULATED_SLOW_BACKUP_PREFIX, SIMULATED_SLOW_BACKUP_SECONDS } from '../../infra/cluster/kwok-config.js';

// kill -9 of the platform: it runs as a process of its own (the transpiled src/main.ts, as the image runs
// it) on a SQLite file and is SIGKILLed in the middle of a rollout and in the middle of a restore; a new
// process on the same file finishes the work. A backup (kwok holds the pods of kwok-backup-slow-* stores
// for SIMULATED_SLOW_BACKUP_SECONDS): the new process finds the running Job and records its outcome. The rollout: every store on the new release, every rollout
// row Succeeded, nothing upgraded twice. The restore (backups to versitygw; kwok ends the backup and
// restore pods as the scripts do): the restore Succeeded, the store Ready only once it has, never
// half-restored, and its app scaled back up.

const STORES = 6;
const RELEASES = JSON.stringify({
  medusa: { current: '2.21.1', releases: [{ version: '2.21.1', images: { medusa: 'store-platform/medusa:2.21.1-r1' } }, { version: '2.21.2', upgradesFrom: ['2.21.1'] }] },
});

interface Store { id: string; name: string; status: string; version: string; statusReason: string | null }
interface Rollout { id: string; status: string; statusReason: string | null; stores: { storeId: string; wave: number; status: string }[] }

let dir: string;
let mainJs: string;
const names: string[] = [];
let current: PlatformProcess | undefined;

let s3: S3Server;
let escrow = '';
const start = (logName: string, db = 'platform.db', env: Record<string, string> = {}) => startPlatformProcess({
  mainJs, databasePath: join(dir, db), kubeconfig: kubeconfigPath(), concurrency: 6, logFile: join(dir, logName), logLevel: 'warn',
  env: { STORE_RELEASES: RELEASES, UNDELETE_WINDOW_HOURS: '0', ...env },
});
const backupEnv = () => ({ ...backupTargetConfig(s3, 'store-backups', escrow, ESCROW_KEY), BACKUP_SCHEDULE_HOURS: '0' });
const ESCROW_KEY = randomBytes(32);

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sp-platform-kill-'));
  mkdirSync(join(dir, 's3', 'store-backups'), { recursive: true });
  [mainJs, s3, escrow] = await Promise.all([buildPlatform(), startS3(join(dir, 's3')), createTestNamespace('sp-kill-escrow')]);
}, 120_000);

afterAll(async () => {
  await current?.stop(5_000);
  await s3?.stop();
  await Promise.all([...names.map((n) => namespaceFor(n)), ...(escrow ? [escrow] : [])].map((ns) => deleteNamespace(ns, false).catch(() => undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 mid-rollout', () => {
  it('a new platform process on the same database finishes the rollout', async () => {
    current = await start('first.log');
    let api = new ApiClient(current.url, current.adminKey);
    const suffix = Math.random().toString(36).slice(2, 6);
    const ids: string[] = [];
    for (let i = 0; i < STORES; i++) {
      const name = `kill-${suffix}-${i}`;
      names.push(name);
      const res = await api.request<Store>('POST', '/api/v1/stores', { name, engine: 'medusa', plan: 'small', adminEmail: 'owner@example.com', title: `Kill ${i}`, currency: 'USD' });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    for (const id of ids) {
      const s = await until(`store ${id} Ready`, async () => {
        const { body } = await api.request<Store>('GET', `/api/v1/stores/${id}`);
        return body.status === 'Ready' || body.status === 'Failed' ? body : undefined;
      });
      expect(s, s.statusReason ?? '').toMatchObject({ status: 'Ready', version: '2.21.1' });
    }
    const started = await api.request<Rollout>('POST', '/api/v1/rollouts', { engine: 'medusa', version: '2.21.2', waves: [1, '100%'] });
    expect(started.status).toBe(201);
    const id = started.body.id;
    // the canary done and the second wave under way: then the platform is killed, no shutdown of any kind
    await until('the second wave under way', async () => {
      const { body } = await api.request<Rollout>('GET', `/api/v1/rollouts/${id}`);
      return body.stores.some((m) => m.wave === 2 && m.status === 'Upgrading') ? true : undefined;
    });
    process.kill(current.pid, 'SIGKILL');
    await current.stop(1_000);
    const second = await start('second.log');
    current = second;
    api = new ApiClient(second.url, second.adminKey);
    const done = await until('the rollout to end', async () => {
      const { body } = await api.request<Rollout>('GET', `/api/v1/rollouts/${id}`);
      return body.status === 'Running' ? undefined : body;
    });
    expect(done, done.statusReason ?? '').toMatchObject({ status: 'Succeeded' });
    expect(done.stores.map((m) => m.status)).toEqual(Array(STORES).fill('Succeeded'));
    for (const storeId of ids) {
      const { body } = await api.request<Store>('GET', `/api/v1/stores/${storeId}`);
      expect(body).toMatchObject({ status: 'Ready', version: '2.21.2' });
      // one upgrade per store: a store whose upgrade the kill interrupted was walked again, not upgraded a second time
      const { body: events } = await api.request<{ items: { step: string; phase: string }[] }>('GET', `/api/v1/stores/${storeId}/events`);
      expect(events.items.filter((e) => e.step === 'upgrade' && e.phase === 'succeeded')).toHaveLength(1);
    }
  }, 600_000);

  it('a new platform process on the same database finishes a backup it was killed in, from the Job already running', async () => {
    current = await start('backup-first.log', 'backup.db', backupEnv());
    let api = new ApiClient(current.url, current.adminKey);
    const name = `${SIMULATED_SLOW_BACKUP_PREFIX}${Math.random().toString(36).slice(2, 6)}`;
    names.push(name);
    const created = await api.request<Store>('POST', '/api/v1/stores', { name, engine: 'medusa', plan: 'small', adminEmail: 'owner@example.com', title: 'Kill backup', currency: 'USD' });
    expect(created.status).toBe(202);
    const id = created.body.id;
    const settled = await until(`store ${id} to settle`, async () => {
      const { body } = await api.request<Store>('GET', `/api/v1/stores/${id}`);
      return body.status === 'Ready' || body.status === 'Failed' ? body : undefined;
    });
    expect(settled.status, settled.statusReason ?? '').toBe('Ready');
    const backup = await api.request<{ id: string }>('POST', `/api/v1/stores/${id}/backups`);
    expect(backup.status).toBe(202);
    // the backup Job's pod under way (kwok holds it): then the platform is killed
    const batch = kubeConfig().makeApiClient(BatchV1Api);
    const job = await until('the backup Job running', async () => {
      const j = await batch.readNamespacedJob({ namespace: namespaceFor(name), name: `backup-${backup.body.id}` }).catch(() => undefined);
      return (j?.status?.active ?? 0) > 0 ? j : undefined;
    });
    process.kill(current.pid, 'SIGKILL');
    const killedAt = Date.now();
    await current.stop(1_000);
    const db = openDb(join(dir, 'backup.db'));
    const left = new BackupsRepo(db).find(backup.body.id);
    db.$client.close();
    expect(left?.status, 'the kill came before the backup ended').toBe('Running');
    current = await start('backup-second.log', 'backup.db', backupEnv());
    api = new ApiClient(current.url, current.adminKey);
    const seen = new Set<string>();
    const done = await until('the backup to end', async () => {
      const [{ body: store }, { body: run }] = await Promise.all([
        api.request<Store>('GET', `/api/v1/stores/${id}`),
        api.request<{ status: string; sizeBytes: number | null; errorReason: string | null }>('GET', `/api/v1/stores/${id}/backups/${backup.body.id}`),
      ]);
      seen.add(store.status);
      return run.status === 'Succeeded' || run.status === 'Failed' ? run : undefined;
    });
    // the simulated run's own result line (stages/pod-backup-complete.yaml), read from the Job the first process made
    expect(done, done.errorReason ?? '').toMatchObject({ status: 'Succeeded', sizeBytes: 4096 });
    expect(Date.now() - killedAt).toBeLessThan(SIMULATED_SLOW_BACKUP_SECONDS * 1000 + 60_000);
    const after = await batch.readNamespacedJob({ namespace: namespaceFor(name), name: `backup-${backup.body.id}` }).catch(() => undefined);
    if (after) expect(after.metadata?.uid, 'the same Job, not a second run').toBe(job.metadata?.uid);
    expect([...seen]).toEqual(['Ready']);
    const { body: list } = await api.request<{ items: { id: string; status: string }[] }>('GET', `/api/v1/stores/${id}/backups`);
    expect(list.items.filter((b) => b.id === backup.body.id)).toEqual([expect.objectContaining({ status: 'Succeeded' })]);
  }, 600_000);

  it('a new platform process on the same database finishes a restore it was killed in, and only then is the store Ready', async () => {
    current = await start('restore-first.log', 'restore.db', backupEnv());
    let api = new ApiClient(current.url, current.adminKey);
    const name = `kill-restore-${Math.random().toString(36).slice(2, 6)}`;
    names.push(name);
    const created = await api.request<Store>('POST', '/api/v1/stores', { name, engine: 'woocommerce', plan: 'small', adminEmail: 'owner@example.com', title: 'Kill restore', currency: 'USD' });
    expect(created.status).toBe(202);
    const id = created.body.id;
    const ready = () => until(`store ${id} to settle`, async () => {
      const { body } = await api.request<Store>('GET', `/api/v1/stores/${id}`);
      return body.status === 'Ready' || body.status === 'Failed' ? body : undefined;
    });
    expect((await ready()).status).toBe('Ready');
    const backup = await api.request<{ id: string }>('POST', `/api/v1/stores/${id}/backups`);
    expect(backup.status).toBe(202);
    await until('the backup', async () => {
      const { body } = await api.request<{ status: string }>('GET', `/api/v1/stores/${id}/backups/${backup.body.id}`);
      return body.status === 'Succeeded' ? true : body.status === 'Failed' ? Promise.reject(new Error('backup failed')) : undefined;
    });
    const restore = await api.request<{ id: string }>('POST', `/api/v1/stores/${id}/restore`, { backupId: backup.body.id });
    expect(restore.status).toBe(202);
    // the app down and the restore under way: then the platform is killed
    await until('the restore past scale-down', async () => {
      const { body } = await api.request<{ items: { id: string; step: string | null }[] }>('GET', `/api/v1/stores/${id}/restores`);
      const step = body.items.find((r) => r.id === restore.body.id)?.step;
      return step === 'restore' || step === 'scale-up' ? true : undefined;
    });
    process.kill(current.pid, 'SIGKILL');
    await current.stop(1_000);
    const db = openDb(join(dir, 'restore.db'));
    const left = new BackupsRepo(db).findRestore(restore.body.id);
    db.$client.close();
    expect(left?.status, 'the kill came before the restore ended').toBe('Running');
    current = await start('restore-second.log', 'restore.db', backupEnv());
    api = new ApiClient(current.url, current.adminKey);
    // never Ready while the restore has not ended
    const seen = new Set<string>();
    const done = await until('the restore to end', async () => {
      const [{ body: store }, { body: runs }] = await Promise.all([
        api.request<Store>('GET', `/api/v1/stores/${id}`),
        api.request<{ items: { id: string; status: string; step: string | null }[] }>('GET', `/api/v1/stores/${id}/restores`),
      ]);
      const run = runs.items.find((r) => r.id === restore.body.id)!;
      seen.add(`${store.status}/${run.status}`);
      return run.status === 'Succeeded' || run.status === 'Failed' ? { store, run } : undefined;
    });
    expect(done.run).toMatchObject({ status: 'Succeeded', step: 'check' });
    expect([...seen].filter((s) => s.startsWith('Ready/') && !s.endsWith('/Succeeded'))).toEqual([]);
    expect((await ready()).status).toBe('Ready');
    const wordpress = await kubeConfig().makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: namespaceFor(name), name: 'wordpress' });
    expect(wordpress.spec?.replicas).toBe(1);
  }, 600_000);
});

import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/db/client.js';
import { BackupsRepo } from '../../../src/db/repos/backups-repo.js';
import { StoresRepo } from '../../../src/db/repos/stores-repo.js';

function setup() {
  const db = openDb(':memory:');
  const stores = new StoresRepo(db);
  const now = new Date(1_700_000_000_000);
  const store = (id: string, slug: string) => stores.insert({
    id, slug, title: 'T', engine: 'woocommerce', plan: 'small', adminEmail: 'a@b.test', currency: 'EUR', status: 'Ready',
    storeUrl: `http://${slug}.test`, adminUrl: `http://${slug}.test/wp-admin/`, host: `${slug}.test`, createdAt: now, updatedAt: now,
  });
  store('s1', 'acme');
  store('s2', 'other');
  const repo = new BackupsRepo(db);
  const backup = (id: string, storeId: string, at: number) => ({
    id, storeId, slug: storeId === 's1' ? 'acme' : 'other', engine: 'woocommerce', kind: 'on-demand' as const, status: 'Pending' as const,
    createdBy: 'k1', createdAt: new Date(at),
  });
  return { db, stores, repo, backup };
}

describe('BackupsRepo', () => {
  it('inserts, updates and lists a store\'s backups newest first', () => {
    const { repo, backup } = setup();
    repo.insertUnlessBusy(backup('b1', 's1', 1));
    repo.update('b1', { status: 'Succeeded', sizeBytes: 1234, durationMs: 5000, finishedAt: new Date(10) });
    repo.insertUnlessBusy(backup('b2', 's1', 2));
    repo.insertUnlessBusy(backup('b3', 's2', 3));
    expect(repo.listByStore('s1').map((b) => b.id)).toEqual(['b2', 'b1']);
    expect(repo.get('b1')).toMatchObject({ status: 'Succeeded', sizeBytes: 1234, durationMs: 5000, kind: 'on-demand' });
    expect(repo.listActive().map((b) => b.id)).toEqual(['b2', 'b3']);
    expect(repo.lastSuccessByStore()).toEqual([{ storeId: 's1', slug: 'acme', at: 10 }]);
  });

  it('fails to start a second run while the store has one Pending or Running', () => {
    const { repo, backup } = setup();
    expect(repo.insertUnlessBusy(backup('b1', 's1', 1))).toBeDefined();
    expect(repo.insertUnlessBusy(backup('b2', 's1', 2))).toBeUndefined();
    expect(repo.insertRestoreUnlessBusy({ id: 'r1', storeId: 's1', backupId: 'b1', status: 'Pending', createdBy: 'k', createdAt: new Date() })).toBeUndefined();
    expect(repo.activeRun('s1')).toEqual({ kind: 'backup', id: 'b1' });
    repo.update('b1', { status: 'Failed', errorStep: 'backup', errorReason: 'boom' });
    const r = repo.insertRestoreUnlessBusy({ id: 'r1', storeId: 's1', backupId: 'b1', status: 'Pending', createdBy: 'k', createdAt: new Date() });
    expect(r).toMatchObject({ id: 'r1', status: 'Pending' });
    expect(repo.activeRun('s1')).toEqual({ kind: 'restore', id: 'r1' });
    expect(repo.insertUnlessBusy(backup('b2', 's1', 2))).toBeUndefined();
    repo.updateRestore('r1', { status: 'Succeeded' });
    expect(repo.activeRun('s1')).toBeUndefined();
    expect(repo.listRestores('s1').map((x) => x.status)).toEqual(['Succeeded']);
  });

  it('fails with NotFoundError on an unknown backup', () => {
    const { repo } = setup();
    expect(() => repo.get('nope')).toThrow(/backup 'nope' not found/);
    expect(() => repo.update('nope', { status: 'Failed' })).toThrow(/not found/);
  });

  it('keeps the rows of a store that is Deleted', () => {
    const { repo, stores, backup } = setup();
    repo.insertUnlessBusy({ ...backup('b1', 's1', 1), kind: 'final', status: 'Succeeded' });
    const row = stores.get('s1');
    stores.update('s1', row.version, 'Deleted', { deletedAt: new Date() });
    expect(repo.listByStore('s1')).toMatchObject([{ id: 'b1', kind: 'final' }]);
  });
});

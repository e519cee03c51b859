import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoresRepo } from '../../src/db/repos/stores-repo.js';
import { specFor, startApi, type ApiHarness } from './api-harness.js';

// Owner limits under races: the check and the insert are one SQLite transaction in the provisioner, so
// parallel creates by one owner at its limit give exactly the allowed number of stores, over real HTTP.

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi({ RATE_LIMIT_CREATE_PER_MINUTE: 1000, RATE_LIMIT_MUTATION_PER_MINUTE: 1000 });
});
afterAll(async () => {
  await h?.close();
});

async function ownerKey(id: string, limits: Record<string, number>): Promise<string> {
  expect((await h.call('POST', '/api/v1/owners', { body: { id, name: id, ...limits } })).status).toBe(201);
  const res = await h.call('POST', '/api/v1/keys', { body: { name: `${id} owner`, role: 'owner' }, headers: { 'x-owner': id } });
  return ((await res.json()) as { key: string }).key;
}

async function race(key: string, prefix: string, n = 20): Promise<{ statuses: number[]; codes: string[] }> {
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) => h.call('POST', '/api/v1/stores', { key, body: specFor(h.name(`${prefix}${i}`)) })),
  );
  const bodies = (await Promise.all(answers.map((r) => r.json()))) as { code?: string }[];
  return { statuses: answers.map((r) => r.status), codes: bodies.flatMap((b) => (b.code ? [b.code] : [])) };
}

const liveOf = (ownerId: string) => new StoresRepo(h.platform.db).list({ ownerId, limit: 500 }).items.filter((s) => s.status !== 'Deleted').length;

describe('owner limits under races', () => {
  it('gives exactly maxStores stores to 20 parallel creates by one owner', async () => {
    const key = await ownerKey('racer', { maxStores: 3 });
    const { statuses, codes } = await race(key, 'race-n');
    expect(statuses.filter((s) => s === 202)).toHaveLength(3);
    expect(statuses.filter((s) => s === 403)).toHaveLength(17);
    expect(new Set(codes)).toEqual(new Set(['OWNER_LIMIT_REACHED']));
    expect(liveOf('racer')).toBe(3);
  });

  it('gives exactly as many stores as the CPU quota limit holds to 20 parallel creates', async () => {
    const key = await ownerKey('cpu-racer', { maxCpuMillis: 2500 }); // small plans claim 1000m each: two fit
    const { statuses } = await race(key, 'race-c');
    expect(statuses.filter((s) => s === 202)).toHaveLength(2);
    expect(statuses.filter((s) => s === 403)).toHaveLength(18);
    expect(liveOf('cpu-racer')).toBe(2);
  });
});

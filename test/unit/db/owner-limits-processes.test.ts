import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/db/client.js';
import { OwnersRepo } from '../../../src/db/repos/owners-repo.js';

const run = promisify(execFile);
const SCRIPT = new URL('./fixtures/create-stores.ts', import.meta.url).pathname;

// The API's race test runs in one process; here separate processes (a second replica, the CLI) race on
// one database file, so only the transaction (BEGIN IMMEDIATE) keeps the owner's limit.
// four node processes starting at once: seconds on a busy 2-core machine, well past vitest's 5 s default
describe('owner limits across processes', { timeout: 60_000 }, () => {
  it('gives exactly maxStores stores to 4 processes creating 5 each on one database file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sp-race-')), 'platform.db');
    const db = openDb(file);
    new OwnersRepo(db).insert('racer', { name: 'Racer', allowedPlans: null, allowedEngines: null, maxStores: 7, maxCpuMillis: null, maxMemoryMiB: null }, new Date());
    db.$client.close();

    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((tag) => run(process.execPath, ['--import', 'tsx', SCRIPT, file, 'racer', tag, '5'], { timeout: 60_000 })),
    );
    const counts = results.map((r) => Number(r.stdout.trim()));
    expect(counts.every(Number.isInteger)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(7);
    const check = openDb(file);
    expect(check.$client.prepare("select count(*) as n from stores where owner_id = 'racer'").get()).toEqual({ n: 7 });
    check.$client.close();
  }, 90_000); // four Node processes with the TypeScript loader on a busy 2-core machine
});

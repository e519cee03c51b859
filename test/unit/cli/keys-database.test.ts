import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyApiKey } from '../../../src/auth/api-keys.js';
import { runKeys } from '../../../src/cli/keys.js';
import { openDb } from '../../../src/db/client.js';
import { ApiKeysRepo } from '../../../src/db/repos/api-keys-repo.js';
import { demoBanner } from '../../../scripts/demo-banner.js';

// The newcomer's path from issue 17: the demo prints the database it runs on, the keys CLI is pointed at
// it with the printed line, and the key it creates is one the demo's platform accepts. A CLI aimed at a
// database that does not exist says so instead of quietly writing a key nobody reads.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sp-keys-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function keys(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeys(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('store-platform keys and the demo database', () => {
  it('creates, with the line the demo prints, a key the demo\'s database accepts', async () => {
    const databasePath = join(dir, 'demo-platform.db');
    openDb(databasePath).$client.close(); // the running demo has created and migrated it
    const banner = demoBanner({ url: 'http://127.0.0.1:8080', adminKey: 'sp-demo-x', databasePath, dashboard: true });
    const line = banner.split('\n').find((l) => l.includes('npx store-platform keys create'));
    const m = /^\s*DATABASE_PATH=(\S+) npx store-platform keys (.+)$/.exec(line ?? '');
    expect(m, banner).not.toBeNull();
    const res = await keys(m![2]!.split(' '), { DATABASE_PATH: m![1]! });

    expect(res.code).toBe(0);
    expect(res.err).toEqual([]);
    expect(res.out[0]).toContain(`in ${databasePath}.`);
    const db = openDb(databasePath);
    expect(verifyApiKey(new ApiKeysRepo(db), res.out[1]!)).toMatchObject({ role: 'viewer', name: 'me' });
    db.$client.close();
  });

  it('says when the key went into a new database, naming the DATABASE_PATH the platform needs', async () => {
    const path = join(dir, 'nowhere.db');
    const first = await keys(['create', '--role', 'admin', '--name', 'ops'], { DATABASE_PATH: path });
    expect(first.code).toBe(0);
    expect(first.err).toHaveLength(1);
    expect(first.err[0]).toMatch(/^store-platform keys: note: .* new database; the platform must run with DATABASE_PATH=/);
    expect(first.err[0]).toContain(`DATABASE_PATH=${path} `);
    expect(first.err[0]).not.toContain(first.out[1]!); // the key itself never goes to the note

    const second = await keys(['create', '--owner', 'default', '--role', 'viewer'], { DATABASE_PATH: path });
    expect(second.code).toBe(0);
    expect(second.err).toEqual([]);
  });

  it('tells in the banner that Ctrl-C leaves the cluster running and what cluster:down deletes', () => {
    const banner = demoBanner({ url: 'http://127.0.0.1:8080', adminKey: 'k', databasePath: join(dir, 'd.db'), dashboard: false });
    expect(banner).toContain(`Database     ${join(dir, 'd.db')}`);
    expect(banner).toMatch(/Ctrl-C stops the API; the cluster keeps running \(npm run cluster:down stops it and deletes the demo's database/);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyApiKey } from '../../../src/auth/api-keys.js';
import { runKeys } from '../../../src/cli/keys.js';
import { runOwners } from '../../../src/cli/owners.js';
import { openDb } from '../../../src/db/client.js';
import { ApiKeysRepo } from '../../../src/db/repos/api-keys-repo.js';
import { AuditRepo } from '../../../src/db/repos/audit-repo.js';

const env = { DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'sp-owners-')), 'platform.db') };
async function cli(run: typeof runOwners, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('store-platform owners and owner keys', () => {
  it('creates, lists, updates and deletes an owner, audit-logged, with owner keys in between', async () => {
    expect((await cli(runOwners, ['create', 'acme', '--name', 'Acme', '--plans', 'small,standard', '--max-stores', '3', '--max-cpu', '4000'])).code).toBe(0);
    const listed = await cli(runOwners, ['list']);
    expect(listed.out.find((l) => l.startsWith('acme'))).toMatch(/stores 0\/3 +cpu 0m\/4000m +memory 0Mi\/unlimited +plans small,standard +engines all +Acme/);

    const key = await cli(runKeys, ['create', '--owner', 'acme', '--role', 'owner', '--name', 'acme ci']);
    expect(key.code).toBe(0);
    const db = openDb(env.DATABASE_PATH);
    expect(verifyApiKey(new ApiKeysRepo(db), key.out[1]!)).toMatchObject({ role: 'owner', ownerId: 'acme' });

    expect((await cli(runOwners, ['update', 'acme', '--max-stores', 'unlimited', '--plans', 'all'])).code).toBe(0);
    expect((await cli(runOwners, ['list'])).out.find((l) => l.startsWith('acme'))).toMatch(/stores 0\/unlimited .* plans all/);
    expect((await cli(runOwners, ['delete', 'acme'])).code).toBe(0);
    expect(verifyApiKey(new ApiKeysRepo(db), key.out[1]!)).toBeUndefined();
    const actions = new AuditRepo(db).list({ limit: 20 }).items.map((a) => `${a.actor}:${a.action}:${a.target}`);
    expect(actions).toEqual(['cli:owner.delete:acme', 'cli:owner.update:acme', expect.stringMatching(/^cli:key\.create:/), 'cli:owner.create:acme']);
    db.$client.close();
  });

  it('fails with one line and exit 2 on bad input', async () => {
    const bad = async (run: typeof runOwners, argv: string[], message: RegExp) => {
      const r = await cli(run, argv);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    };
    await bad(runOwners, ['create', 'Bad_Id', '--name', 'x'], /^store-platform owners: id: an owner id/);
    await bad(runOwners, ['create', 'fine', '--name', 'x', '--plans', 'huge'], /allowedPlans/);
    await bad(runOwners, ['create', 'fine', '--name', 'x', '--max-stores', 'many'], /maxStores/);
    await bad(runOwners, ['delete', 'default'], /cannot be deleted/);
    await bad(runOwners, ['update', 'nobody', '--name', 'x'], /no owner 'nobody'/);
    await bad(runKeys, ['create', '--role', 'viewer'], /^store-platform keys: a viewer key belongs to an owner: add --owner/);
    await bad(runKeys, ['create', '--role', 'owner', '--owner', 'nobody'], /no owner 'nobody'/);
    await bad(runKeys, ['create', '--role', 'admin', '--owner', 'default'], /drop --owner/);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_KEY_ID, bootstrapAdminKey, createApiKey, hashKey, verifyApiKey } from '../../../src/auth/api-keys.js';
import { runKeys } from '../../../src/cli/keys.js';
import { openDb } from '../../../src/db/client.js';
import { ApiKeysRepo } from '../../../src/db/repos/api-keys-repo.js';

const repo = () => new ApiKeysRepo(openDb(':memory:'));

describe('API keys', () => {
  it('stores only the SHA-256 hash and verifies the key', () => {
    const r = repo();
    const k = createApiKey(r, { role: 'viewer', name: 'ci', ownerId: 'default' });
    expect(k.key).toMatch(/^sp_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const row = r.findActive(k.id)!;
    expect(row.hash).toBe(hashKey(k.key));
    expect(JSON.stringify(row)).not.toContain(k.key);
    expect(verifyApiKey(r, k.key)).toEqual({ keyId: k.id, name: 'ci', role: 'viewer', ownerId: 'default' });
  });

  it('fails to verify a changed, unknown or revoked key', () => {
    const r = repo();
    const k = createApiKey(r, { role: 'admin', name: 'a' });
    expect(verifyApiKey(r, k.key.slice(0, -1) + (k.key.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(verifyApiKey(r, 'sp_zzzzzzzzzzzz_' + 'A'.repeat(43))).toBeUndefined();
    expect(verifyApiKey(r, '')).toBeUndefined();
    r.revoke(k.id, new Date());
    expect(verifyApiKey(r, k.key)).toBeUndefined();
  });

  it('accepts the bootstrap admin key of any shape and follows its rotation', () => {
    const r = repo();
    bootstrapAdminKey(r, 'operator-chosen-key-0123456789');
    expect(verifyApiKey(r, 'operator-chosen-key-0123456789')).toMatchObject({ keyId: BOOTSTRAP_KEY_ID, role: 'admin' });
    bootstrapAdminKey(r, 'rotated-operator-key-0123456789');
    expect(verifyApiKey(r, 'operator-chosen-key-0123456789')).toBeUndefined();
    expect(verifyApiKey(r, 'rotated-operator-key-0123456789')?.keyId).toBe(BOOTSTRAP_KEY_ID);
  });
});

describe('store-platform keys', () => {
  const io = (env: NodeJS.ProcessEnv) => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { env, out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
  };
  const env = () => ({ DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'sp-keys-')), 'p.db') });

  it('creates a key that the API accepts, shown once', async () => {
    const e = env();
    const { io: i, out } = io(e);
    expect(await runKeys(['create', '--owner', 'default', '--role', 'viewer', '--name', 'grafana'], i)).toBe(0);
    const key = out[1]!;
    const db = openDb(e.DATABASE_PATH);
    expect(verifyApiKey(new ApiKeysRepo(db), key)).toMatchObject({ role: 'viewer', name: 'grafana' });
    const listed = io(e);
    expect(await runKeys(['list'], listed.io)).toBe(0);
    expect(listed.out.join('\n')).toContain('grafana');
    expect(listed.out.join('\n')).not.toContain(key);
  });

  it('fails with exit 2 and one line for a bad role, a missing role or an unknown flag', async () => {
    for (const argv of [['create', '--role', 'root'], ['create'], ['create', '--role', 'admin', '--colour', 'red'], ['rotate']]) {
      const { io: i, err } = io(env());
      expect(await runKeys(argv, i), argv.join(' ')).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^store-platform keys: /);
    }
  });

  it('revokes a key', async () => {
    const e = env();
    const c = io(e);
    await runKeys(['create', '--role', 'admin', '--json'], c.io);
    const { id, key } = JSON.parse(c.out[0]!) as { id: string; key: string };
    expect(await runKeys(['revoke', id], io(e).io)).toBe(0);
    expect(verifyApiKey(new ApiKeysRepo(openDb(e.DATABASE_PATH)), key)).toBeUndefined();
    expect(await runKeys(['revoke', id], io(e).io)).toBe(2);
  });
});

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDb } from '../../../src/db/client.js';

// A database from before tenancy: migrating it must hand every store and owner/viewer key to `default`
// and leave admin keys as platform admins.
describe('the owners migration', () => {
  it('moves existing stores and viewer keys to the default owner and keeps admin keys platform-wide', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-mig-'));
    const before = join(dir, 'before');
    cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
    const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    expect(journal.entries.map((e) => e.tag)).toContain('0001_owners');
    journal.entries = journal.entries.filter((e) => e.tag === '0000_init');
    writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal));

    const file = join(dir, 'platform.db');
    const old = openDb(file, before);
    const now = Date.now();
    old.$client.exec(`
      insert into api_keys (id, name, role, hash, created_at) values ('adm', 'ops', 'admin', 'h1', ${now}), ('vw', 'grafana', 'viewer', 'h2', ${now});
      insert into stores (id, slug, title, engine, plan, admin_email, currency, status, store_url, admin_url, created_at, updated_at)
        values ('s1', 'acme', 'Acme', 'woocommerce', 'small', 'a@b.test', 'EUR', 'Ready', 'http://x', 'http://x/wp-admin/', ${now}, ${now});
    `);
    old.$client.close();

    const db = openDb(file);
    expect(db.$client.prepare('select id from owners').all()).toEqual([{ id: 'default' }]);
    expect(db.$client.prepare('select owner_id from stores').all()).toEqual([{ owner_id: 'default' }]);
    expect(db.$client.prepare('select id, role, owner_id from api_keys order by id').all()).toEqual([
      { id: 'adm', role: 'admin', owner_id: null },
      { id: 'vw', role: 'viewer', owner_id: 'default' },
    ]);
    db.$client.close();
  });
});

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDb } from '../../../src/db/client.js';

// A database from before the host column: the migration backfills each live store's host from its URL,
// leaves Deleted stores without one, and of two live stores already sharing a host only the oldest keeps it.
describe('the store host migration', () => {
  it('backfills live hosts from the store URL, oldest first on a clash, and none for Deleted stores', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-mig-host-'));
    const before = join(dir, 'before');
    cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
    const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    expect(journal.entries.map((e) => e.tag)).toContain('0002_store_host');
    // a database from before 0002 has none of the later migrations either
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0002_store_host'));
    writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal));

    const file = join(dir, 'platform.db');
    const old = openDb(file, before);
    const row = (id: string, slug: string, status: string, url: string, at: number) =>
      `('${id}', '${slug}', 'T', 'woocommerce', 'small', 'a@b.test', 'EUR', '${status}', '${url}', '${url}/wp-admin/', ${at}, ${at})`;
    old.$client.exec(`insert into stores (id, slug, title, engine, plan, admin_email, currency, status, store_url, admin_url, created_at, updated_at) values
      ${row('s1', 'acme', 'Ready', 'http://acme.127.0.0.1.nip.io', 1)},
      ${row('s2', 'old', 'Deleted', 'https://shop.example.com', 2)},
      ${row('s3', 'first', 'Ready', 'https://Shop.example.com', 3)},
      ${row('s4', 'second', 'Failed', 'https://shop.example.com', 4)}`);
    old.$client.close();

    const db = openDb(file);
    expect(db.$client.prepare('select id, host from stores order by id').all()).toEqual([
      { id: 's1', host: 'acme.127.0.0.1.nip.io' },
      { id: 's2', host: null },
      { id: 's3', host: 'shop.example.com' },
      { id: 's4', host: null },
    ]);
    expect(() => db.$client.exec(`update stores set host = 'shop.example.com' where id = 's4'`)).toThrow(/UNIQUE/);
    db.$client.close();
  });
});

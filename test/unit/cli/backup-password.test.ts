import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealPassword } from '../../../src/backup/escrow.js';
import { runBackupPassword } from '../../../src/cli/backup-password.js';
import { run } from '../../../src/cli/main.js';

const KEY = randomBytes(32);

/** Runs the command with `env` and `input` as the sealed value; what it wrote, line by line. */
async function unseal(argv: string[], env: NodeJS.ProcessEnv, input: string) {
  const out: string[] = [];
  const err: string[] = [];
  const files: (string | undefined)[] = [];
  const code = await runBackupPassword(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l), read: (f) => { files.push(f); return input; } });
  return { code, out, err, files };
}

describe('store-platform backup-password', () => {
  it('prints the password sealed for the store, read from stdin or the file named, with the key in hex or base64', async () => {
    const sealed = `${sealPassword(KEY, 'acme', 'the-repository-password-of-acme')}\n`;
    expect(await unseal(['acme'], { BACKUP_ESCROW_KEY: KEY.toString('hex') }, sealed)).toEqual({ code: 0, out: ['the-repository-password-of-acme'], err: [], files: [undefined] });
    expect(await unseal(['acme', '--sealed-file', 'sealed.txt'], { BACKUP_ESCROW_KEY: KEY.toString('base64') }, sealed))
      .toMatchObject({ code: 0, out: ['the-repository-password-of-acme'], files: ['sealed.txt'] });
  });

  it('refuses another store\'s sealed password and another key, in one line with exit 1', async () => {
    const sealed = sealPassword(KEY, 'acme', 'the-repository-password-of-acme');
    const other = await unseal(['globex'], { BACKUP_ESCROW_KEY: KEY.toString('hex') }, sealed).catch((e: Error) => e);
    expect(other).toBeInstanceOf(Error);
    expect((other as Error).message).toMatch(/of store 'globex' does not open with the escrow key/);
    // through the CLI's own entry: one line, exit 1, no password anywhere
    const stderr: string[] = [];
    const stdout: string[] = [];
    const prev = process.env.BACKUP_ESCROW_KEY;
    process.env.BACKUP_ESCROW_KEY = randomBytes(32).toString('hex');
    try {
      const code = await run(['backup-password', 'acme', '--sealed-file', '/nonexistent/sealed'], { stdout: { write: (s: string) => stdout.push(s) }, stderr: { write: (s: string) => stderr.push(s) } });
      expect({ code, stdout }).toEqual({ code: 1, stdout: [] });
      expect(stderr.join('')).toMatch(/^store-platform backup-password: ENOENT[^\n]*\n$/);
    } finally {
      if (prev === undefined) delete process.env.BACKUP_ESCROW_KEY; else process.env.BACKUP_ESCROW_KEY = prev;
    }
  });

  it('says in one line (exit 2) what is missing or malformed', async () => {
    const sealed = sealPassword(KEY, 'acme', 'pw-0123456789-0123456789');
    const hex = { BACKUP_ESCROW_KEY: KEY.toString('hex') };
    const cases: [string[], NodeJS.ProcessEnv, string, RegExp][] = [
      [[], hex, sealed, /name one store/],
      [['acme', 'globex'], hex, sealed, /name one store/],
      [['Not_A_Store'], hex, sealed, /'Not_A_Store' is not a store name/],
      [['acme'], {}, sealed, /BACKUP_ESCROW_KEY is not set/],
      [['acme'], { BACKUP_ESCROW_KEY: 'abc' }, sealed, /BACKUP_ESCROW_KEY: 32 bytes/],
      [['acme'], hex, '  \n', /no sealed password given/],
      [['acme', '--sealed'], hex, sealed, /Unknown option '--sealed'/],
    ];
    for (const [argv, env, input, message] of cases) {
      const r = await unseal(argv, env, input);
      expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 2, out: [] });
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^store-platform backup-password: /);
      expect(r.err[0]).toMatch(message);
    }
  });
});

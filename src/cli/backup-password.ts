import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StoreSpec } from '../../constructs/index.js';
import { openPassword } from '../backup/escrow.js';
import { escrowKeyOf } from '../config.js';
import { reportingUsage, UsageError, type KeysIo } from './keys.js';
import type { Command } from './usage-error.js';

// Recovery without the platform: a store's restic repository password, opened from its escrowed copy
// (the platform's backup-keys Secret, one entry per store) with the escrow key. Neither the key nor the
// password ever goes on a command line: the key comes from BACKUP_ESCROW_KEY, the sealed value from a
// file or stdin, and the password goes to stdout (for restic's --password-file or RESTIC_PASSWORD_COMMAND).

const USAGE = [
  'usage: store-platform backup-password <store> [--sealed-file FILE]',
  'Prints the store\'s restic repository password, opened from its sealed copy in the platform\'s backup-keys',
  'Secret (data key <store>, base64-decoded) read from FILE or stdin, with the key in BACKUP_ESCROW_KEY.',
].join('\n');

export interface BackupPasswordIo extends KeysIo {
  /** The sealed value's text: the file named, or stdin when none is. */
  readonly read: (file: string | undefined) => string;
}

/** `store-platform backup-password ...`; returns the exit code. */
export async function runBackupPassword(argv: readonly string[], io: BackupPasswordIo): Promise<number> {
  return reportingUsage('backup-password', io, async () => {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: { 'sealed-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message.split('\n')[0] ?? 'invalid arguments');
    }
    if (parsed.values.help) { io.out(USAGE); return 0; }
    const [store, ...extra] = parsed.positionals;
    if (store === undefined || extra.length > 0) throw new UsageError('name one store: backup-password <store> [--sealed-file FILE]');
    if (!StoreSpec.shape.name.safeParse(store).success) throw new UsageError(`'${store}' is not a store name (the slug of namespace store-<name>)`);
    const keyText = io.env.BACKUP_ESCROW_KEY;
    if (keyText === undefined || keyText === '') throw new UsageError('BACKUP_ESCROW_KEY is not set: the platform\'s escrow key (the chart\'s backup.escrowKey, in <release>-backup-keys unless existingSecret names another)');
    const key = escrowKeyOf(keyText);
    if (key === undefined) throw new UsageError('BACKUP_ESCROW_KEY: 32 bytes as 64 hex digits or base64');
    const sealed = io.read(parsed.values['sealed-file']).trim();
    if (sealed === '') throw new UsageError(`no sealed password given: pipe in the Secret's ${store} entry, base64-decoded, or name it with --sealed-file`);
    io.out(openPassword(key, store, sealed));
    return 0;
  });
}

/** `backup-password` entry of the CLI's command table. */
export const backupPasswordCommand: Command = {
  summary: 'print a store\'s backup repository password from its escrowed copy (recovery without the platform)',
  run: (argv, io) => runBackupPassword(argv, {
    env: process.env, out: (l) => io.stdout.write(`${l}\n`), err: (l) => io.stderr.write(`${l}\n`),
    read: (file) => readFileSync(file ?? 0, 'utf8'),
  }),
};

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiKey } from '../auth/api-keys.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDb } from '../db/client.js';
import { ApiKeysRepo } from '../db/repos/api-keys-repo.js';
import { API_KEY_ROLES, type ApiKeyRole } from '../db/schema.js';

export interface KeysIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = [
  'usage: store-platform keys create --role admin|viewer [--name NAME] [--json]',
  '       store-platform keys list',
  '       store-platform keys revoke <id>',
  'The database is DATABASE_PATH (default store-platform.db); it must be the platform\'s own (npm run demo prints the one it uses).',
].join('\n');

/** Raised for bad input; the caller prints the one-line message and exits 2. */
export class UsageError extends Error {}

/** `store-platform keys ...`; returns the exit code. */
export async function runKeys(argv: readonly string[], io: KeysIo): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.out(USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new UsageError(`unknown keys command '${sub}' (expected create, list or revoke)`);
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { role: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean', default: false } },
        allowPositionals: sub === 'revoke',
        strict: true,
      });
    } catch (e) {
      throw new UsageError((e as Error).message.split('\n')[0] ?? 'invalid arguments');
    }
    const config = loadConfig(io.env);
    const file = config.DATABASE_PATH === ':memory:' ? config.DATABASE_PATH : resolve(config.DATABASE_PATH);
    const isNew = file !== ':memory:' && !existsSync(file);
    const db = openDb(config.DATABASE_PATH);
    try {
      const repo = new ApiKeysRepo(db);
      if (sub === 'create') {
        const role = parsed.values.role;
        if (role === undefined) throw new UsageError('--role is required: admin or viewer');
        if (!(API_KEY_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be admin or viewer, got '${role}'`);
        const name = parsed.values.name ?? `${role} key`;
        if (name.length === 0 || name.length > 100) throw new UsageError('--name must be 1 to 100 characters');
        const created = createApiKey(repo, { role: role as ApiKeyRole, name });
        if (parsed.values.json) io.out(JSON.stringify(created));
        else {
          io.out(`Created ${created.role} key ${created.id} (${created.name}) in ${file}. It is shown only now; store it safely:`);
          io.out(created.key);
        }
        // a key in a database the platform does not read gets 401 there: say so when this one is new
        if (isNew) io.err(`store-platform keys: note: ${file} did not exist, so this key is in a new database; the platform must run with DATABASE_PATH=${file} (npm run demo prints the path it uses)`);
        return 0;
      }
      if (sub === 'list') {
        for (const k of repo.list()) {
          io.out([k.id, k.role.padEnd(6), k.revokedAt ? 'revoked' : 'active ', k.createdAt.toISOString(), k.name].join('  '));
        }
        return 0;
      }
      const id = parsed.positionals[0];
      if (id === undefined || parsed.positionals.length !== 1) throw new UsageError('keys revoke takes exactly one key id');
      if (!repo.revoke(id, new Date())) throw new UsageError(`no active key with id '${id}'`);
      io.out(`Revoked key ${id}`);
      return 0;
    } finally {
      db.$client.close();
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.err(`store-platform keys: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** `keys` entry of the CLI's command table (src/cli/main.ts). The database comes from DATABASE_PATH. */
export const keysCommand = {
  summary: 'create, list and revoke API keys (keys create --role admin|viewer [--name NAME])',
  run: (argv: readonly string[], io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } }): Promise<number> =>
    runKeys(argv, { env: process.env, out: (l) => io.stdout.write(`${l}\n`), err: (l) => io.stderr.write(`${l}\n`) }),
};

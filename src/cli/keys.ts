import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiKey } from '../auth/api-keys.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDb } from '../db/client.js';
import { ApiKeysRepo } from '../db/repos/api-keys-repo.js';
import { AuditRepo } from '../db/repos/audit-repo.js';
import { OwnersRepo } from '../db/repos/owners-repo.js';
import { API_KEY_ROLES, type ApiKeyRole } from '../db/schema.js';

export interface KeysIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = [
  'usage: store-platform keys create --role admin [--name NAME] [--json]',
  '       store-platform keys create --owner OWNER_ID --role owner|viewer [--name NAME] [--json]',
  '       store-platform keys list [--owner OWNER_ID]',
  '       store-platform keys revoke <id>',
  'The database is DATABASE_PATH (default store-platform.db); it must be the platform\'s own (npm run demo prints the one it uses).',
].join('\n');

/** The audit actor of changes made from the command line (on the database, not through the API). */
export const CLI_ACTOR = 'cli';

/** Raised for bad input; the caller prints the one-line message and exits 2. */
export class UsageError extends Error {}

/** `store-platform keys ...`; returns the exit code. */
export async function runKeys(argv: readonly string[], io: KeysIo): Promise<number> {
  const [sub, ...rest] = argv;
  return reportingUsage('keys', io, async () => {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.out(USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new UsageError(`unknown keys command '${sub}' (expected create, list or revoke)`);
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { role: { type: 'string' }, name: { type: 'string' }, owner: { type: 'string' }, json: { type: 'boolean', default: false } },
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
        if (role === undefined) throw new UsageError('--role is required: admin, owner or viewer');
        if (!(API_KEY_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be admin, owner or viewer, got '${role}'`);
        const ownerId = parsed.values.owner;
        if (role === 'admin' && ownerId !== undefined) throw new UsageError('an admin key is the platform\'s: drop --owner');
        if (role !== 'admin' && ownerId === undefined) throw new UsageError(`a ${role} key belongs to an owner: add --owner <id> (store-platform owners list)`);
        if (ownerId !== undefined && new OwnersRepo(db).find(ownerId) === undefined) throw new UsageError(`no owner '${ownerId}' (store-platform owners list)`);
        const name = parsed.values.name ?? `${role} key`;
        if (name.length === 0 || name.length > 100) throw new UsageError('--name must be 1 to 100 characters');
        const created = createApiKey(repo, { role: role as ApiKeyRole, name, ownerId: ownerId ?? null });
        new AuditRepo(db).record({ actor: CLI_ACTOR, ownerId, action: 'key.create', target: created.id, outcome: 'success' });
        if (parsed.values.json) io.out(JSON.stringify(created));
        else {
          const whose = created.ownerId === null ? '' : ` of owner ${created.ownerId}`;
          io.out(`Created ${created.role} key ${created.id}${whose} (${created.name}) in ${file}. It is shown only now; store it safely:`);
          io.out(created.key);
        }
        // a key in a database the platform does not read gets 401 there: say so when this one is new
        if (isNew) io.err(`store-platform keys: note: ${file} did not exist, so this key is in a new database; the platform must run with DATABASE_PATH=${file} (npm run demo prints the path it uses)`);
        return 0;
      }
      if (sub === 'list') {
        for (const k of repo.list(parsed.values.owner)) {
          io.out([k.id, k.role.padEnd(6), (k.ownerId ?? '-').padEnd(12), k.revokedAt ? 'revoked' : 'active ', k.createdAt.toISOString(), k.name].join('  '));
        }
        return 0;
      }
      const id = parsed.positionals[0];
      if (id === undefined || parsed.positionals.length !== 1) throw new UsageError('keys revoke takes exactly one key id');
      if (!repo.revoke(id, new Date())) throw new UsageError(`no active key with id '${id}'`);
      new AuditRepo(db).record({ actor: CLI_ACTOR, action: 'key.revoke', target: id, outcome: 'success' });
      io.out(`Revoked key ${id}`);
      return 0;
    } finally {
      db.$client.close();
    }
  });
}

/** A command table entry (src/cli/main.ts) for a runner on DATABASE_PATH that writes lines. */
export function lineCommand(summary: string, runner: (argv: readonly string[], io: KeysIo) => Promise<number>) {
  return {
    summary,
    run: (argv: readonly string[], io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } }): Promise<number> =>
      runner(argv, { env: process.env, out: (l) => io.stdout.write(`${l}\n`), err: (l) => io.stderr.write(`${l}\n`) }),
  };
}

/** Runs `fn`; bad input (UsageError, ConfigError) becomes one line on stderr and exit code 2. */
export async function reportingUsage(command: string, io: KeysIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.err(`store-platform ${command}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** `keys` entry of the CLI's command table. */
export const keysCommand = lineCommand(
  'create, list and revoke API keys (keys create --role admin, or --owner ID --role owner|viewer)',
  (argv, io) => runKeys(argv, io),
);

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { openDb } from '../db/client.js';
import { AuditRepo } from '../db/repos/audit-repo.js';
import { OwnersRepo, type OwnerRow } from '../db/repos/owners-repo.js';
import { DEFAULT_OWNER_ID } from '../db/schema.js';
import { CreateOwnerBody, UpdateOwnerBody } from '../http/schemas/owners.js';
import { usageOf } from '../provisioner/owner-limits.js';
import { CLI_ACTOR, UsageError, lineCommand, reportingUsage, type KeysIo } from './keys.js';

const USAGE = [
  'usage: store-platform owners create <id> --name NAME [limits] [--json]',
  '       store-platform owners list [--json]',
  '       store-platform owners update <id> [--name NAME] [limits]',
  '       store-platform owners delete <id>',
  'limits: --plans small,standard|all  --engines woocommerce|all  --max-stores N  --max-cpu MILLICORES  --max-memory MIB',
  '        (`unlimited` lifts a limit; quota limits add up the plans\' ResourceQuota requests of the live stores)',
  'The database is DATABASE_PATH (default store-platform.db); it must be the platform\'s own.',
].join('\n');

const OPTIONS = {
  name: { type: 'string' },
  plans: { type: 'string' },
  engines: { type: 'string' },
  'max-stores': { type: 'string' },
  'max-cpu': { type: 'string' },
  'max-memory': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

const list = (v: string | undefined) => (v === undefined ? undefined : v === 'all' ? null : v.split(',').map((s) => s.trim()).filter(Boolean));
const num = (v: string | undefined) => (v === undefined ? undefined : v === 'unlimited' ? null : /^\d+$/.test(v) ? Number(v) : v);

/** Flags as an API body, so the CLI and the API share one validation. */
function fieldsOf(v: Values): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    name: v.name, allowedPlans: list(v.plans), allowedEngines: list(v.engines),
    maxStores: num(v['max-stores']), maxCpuMillis: num(v['max-cpu']), maxMemoryMiB: num(v['max-memory']),
  };
  return Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined));
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${issue.path.join('.') || 'owner'}: ${issue.message}`);
  }
  return parsed.data;
}

const limitText = (n: number | null, unit = '') => (n === null ? 'unlimited' : `${n}${unit}`);
function line(o: OwnerRow, owners: OwnersRepo): string {
  const u = usageOf(owners.liveStoresByPlan(o.id));
  return [
    o.id.padEnd(16), `stores ${u.stores}/${limitText(o.maxStores)}`, `cpu ${u.cpuMillis}m/${limitText(o.maxCpuMillis, 'm')}`,
    `memory ${u.memoryMiB}Mi/${limitText(o.maxMemoryMiB, 'Mi')}`, `plans ${o.allowedPlans?.join(',') ?? 'all'}`,
    `engines ${o.allowedEngines?.join(',') ?? 'all'}`, o.name,
  ].join('  ');
}

/** `store-platform owners ...` on DATABASE_PATH; returns the exit code. Every change is audit-logged. */
export async function runOwners(argv: readonly string[], io: KeysIo): Promise<number> {
  const [sub, ...rest] = argv;
  return reportingUsage('owners', io, async () => {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.out(USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (!['create', 'list', 'update', 'delete'].includes(sub)) throw new UsageError(`unknown owners command '${sub}' (expected create, list, update or delete)`);
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message.split('\n')[0] ?? 'invalid arguments');
    }
    const [id, ...extra] = parsed.positionals;
    if (sub === 'list' ? id !== undefined : id === undefined || extra.length > 0) {
      throw new UsageError(sub === 'list' ? 'owners list takes no arguments' : `owners ${sub} takes exactly one owner id`);
    }
    const config = loadConfig(io.env);
    const db = openDb(config.DATABASE_PATH);
    try {
      const owners = new OwnersRepo(db);
      const audit = (action: string) => new AuditRepo(db).record({ actor: CLI_ACTOR, ownerId: id, action, target: id!, outcome: 'success' });
      const now = new Date();
      if (sub === 'list') {
        const rows = owners.list();
        if (parsed.values.json) io.out(JSON.stringify(rows.map((o) => ({ ...o, usage: usageOf(owners.liveStoresByPlan(o.id)) }))));
        else for (const o of rows) io.out(line(o, owners));
        return 0;
      }
      if (sub === 'create') {
        const { id: ownerId, ...fields } = parseBody(CreateOwnerBody, { id, ...fieldsOf(parsed.values) });
        if (owners.find(ownerId) !== undefined) throw new UsageError(`owner '${ownerId}' exists already`);
        const row = owners.insert(ownerId, fields, now);
        audit('owner.create');
        io.out(parsed.values.json ? JSON.stringify(row) : `Created owner ${line(row, owners)}`);
        return 0;
      }
      if (owners.find(id!) === undefined) throw new UsageError(`no owner '${id}'`);
      if (sub === 'update') {
        const fields = parseBody(UpdateOwnerBody, fieldsOf(parsed.values));
        if (Object.keys(fields).length === 0) throw new UsageError('owners update needs at least one of --name, --plans, --engines, --max-stores, --max-cpu, --max-memory');
        const row = owners.update(id!, fields, now)!;
        audit('owner.update');
        io.out(`Updated owner ${line(row, owners)}`);
        return 0;
      }
      if (id === DEFAULT_OWNER_ID) throw new UsageError(`the '${DEFAULT_OWNER_ID}' owner cannot be deleted`);
      const { deleted, liveStores } = owners.delete(id!, now);
      if (!deleted) throw new UsageError(`owner '${id}' has ${liveStores} live stores; delete them first`);
      audit('owner.delete');
      io.out(`Deleted owner ${id} and revoked its keys`);
      return 0;
    } finally {
      db.$client.close();
    }
  });
}

/** `owners` entry of the CLI's command table (src/cli/main.ts). */
export const ownersCommand = lineCommand('create, list, update and delete owners (tenants) and their limits', (argv, io) => runOwners(argv, io));

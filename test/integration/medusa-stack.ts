import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../infra/cluster/paths.js';

// A Medusa store on loopback for the CI order test: Debian's PostgreSQL and Redis in a temp folder,
// the image recipe's own dependencies (cached by lock-file hash), its own migrate, setup and order
// scripts. Nothing here is a copy of the recipe: the recipe's files are run as they are.

/** The committed image recipe (package.json, lock, medusa-config.ts, scripts). */
export const RECIPE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../infra/images/medusa');

/** The recipe's files a store runs (the image copies the same ones). */
const RECIPE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'medusa-config.ts', 'store-objects.json', 'src', 'check'];

/** A missing prerequisite fails loudly, naming the Debian package that provides it. */
function binary(path: string, pkg: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package '${pkg}' (apt-get install ${pkg})`);
  return path;
}

/** The newest installed PostgreSQL server's bin directory (Debian keeps them under /usr/lib/postgresql/<major>). */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'postgres'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL server under ${root}: install the Debian package 'postgresql'`);
  return join(root, newest, 'bin');
}

export function redisServer(): string {
  return binary('/usr/bin/redis-server', 'redis-server');
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** A process started by the stack, with its output kept for error messages. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function start(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Started {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], uid: opts.uid, gid: opts.gid, detached: true });
  let out = '';
  const keep = (c: Buffer) => { out = (out + c.toString()).slice(-20_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { return; }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number } = {}): string {
  const res = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', uid: opts.uid, gid: opts.gid, timeout: opts.timeoutMs ?? 600_000, maxBuffer: 64 << 20 });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`}):\n${output.slice(-4000)}`);
  return output;
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's `postgres` user. */
function postgresOwner(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(run('id', [flag, 'postgres']).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export interface Postgres extends Started {
  /** `postgres://...@127.0.0.1:<port>/medusa` */
  readonly url: string;
  /** Creates another empty database; returns its URL. */
  createDatabase(name: string): string;
}

/** A fresh PostgreSQL cluster in `dir` on a free loopback port, with an empty `medusa` database. */
export async function startPostgres(dir: string): Promise<Postgres> {
  const bin = postgresBin();
  const owner = postgresOwner();
  const data = join(dir, 'pgdata');
  mkdirSync(data, { recursive: true });
  if (owner.uid !== undefined) {
    chmodSync(dir, 0o711); // mkdtemp makes it 0700: let the postgres user reach its data folder
    chownSync(data, owner.uid, owner.gid!);
  }
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'], owner);
  const port = await freePort();
  const pg = start(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${data}`, '-c', 'fsync=off'], owner);
  await waitFor('postgres', pg, () => spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0, 60_000);
  const createDatabase = (name: string) => {
    run(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
    return `postgres://postgres@127.0.0.1:${port}/${name}`;
  };
  return { ...pg, url: createDatabase('medusa'), createDatabase };
}

export interface Redis extends Started {
  readonly url: string;
}

export async function startRedis(dir: string): Promise<Redis> {
  const port = await freePort();
  const redis = start(redisServer(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  await waitFor('redis', redis, () => /Ready to accept connections/.test(redis.output()), 30_000);
  return { ...redis, url: `redis://127.0.0.1:${port}` };
}

/** Polls until `ready()` holds; fails with the process's output if it exits or time runs out. */
export async function waitFor(what: string, proc: Started, ready: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited with ${proc.child.exitCode}:\n${proc.output().slice(-4000)}`);
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000}s:\n${proc.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The recipe's node_modules, installed once per lock file with `npm ci` into the user cache
 * (the same cache root as the cluster's binaries), and reused by every later run.
 */
export function medusaDependencies(): { dir: string; installed: boolean } {
  const lock = readFileSync(join(RECIPE_DIR, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const dir = join(cacheDir(), 'medusa', `deps-${hash}`);
  if (existsSync(join(dir, 'node_modules', '.package-lock.json'))) return { dir, installed: false };
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  cpSync(join(RECIPE_DIR, 'package.json'), join(partial, 'package.json'));
  cpSync(join(RECIPE_DIR, 'package-lock.json'), join(partial, 'package-lock.json'));
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: partial, timeoutMs: 20 * 60_000 });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir); // atomic: a concurrent or interrupted install never leaves a half folder in place
  return { dir, installed: true };
}

/** A working copy of the recipe in `dir`, using the cached dependencies. */
export function medusaProject(dir: string, depsDir: string): string {
  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  for (const f of RECIPE_FILES) cpSync(join(RECIPE_DIR, f), join(app, f), { recursive: true });
  symlinkSync(join(depsDir, 'node_modules'), join(app, 'node_modules'), 'dir');
  return app;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

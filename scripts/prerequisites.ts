/**
 * What `npm test` needs on this machine besides `npm ci`, checked in one pass so a newcomer learns
 * everything that is missing at once: one line naming each missing piece and how to get it.
 * The vitest global setup (test/global-setup.ts) runs it before any project; `npm run prerequisites`
 * runs it alone (exit 1 when something is missing).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from '../test/e2e/browser.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The vitest projects a prerequisite serves; a run of other projects does not need it. */
export type Project = 'unit' | 'integration' | 'e2e' | 'web' | 'real';

export interface Missing {
  /** What is missing, e.g. `shellcheck` or `Go >= 1.26.8 (found go1.19.8)`. */
  readonly what: string;
  /** How to get it. */
  readonly how: string;
  /** The Debian package that provides it, when one does. */
  readonly debian?: string;
}

interface Check {
  readonly projects: readonly Project[];
  readonly realNodeOnly?: boolean;
  readonly run: (env: NodeJS.ProcessEnv) => Missing | undefined;
}

function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const apt = (pkg: string): string => `Debian package ${pkg}`;

/** A command from a Debian package of the same name unless given. */
function command(cmd: string, projects: readonly Project[], pkg = cmd, realNodeOnly = false): Check {
  return { projects, realNodeOnly, run: (env) => (onPath(cmd, env) ? undefined : { what: cmd, how: apt(pkg), debian: pkg }) };
}

/** `1.26.8` >= `1.26.10`? Numeric, field by field. */
export function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** The Go the cluster's wrapper modules declare (the highest `go` directive); build.sh reads the same. */
export function requiredGo(): string {
  const dir = join(root, 'infra/cluster/modules');
  const versions = readdirSync(dir)
    .map((m) => join(dir, m, 'go.mod'))
    .filter((f) => existsSync(f))
    .flatMap((f) => /^go (\d+(?:\.\d+)*)$/m.exec(readFileSync(f, 'utf8'))?.[1] ?? []);
  return versions.reduce((max, v) => (versionAtLeast(v, max) ? v : max), '0');
}

function requiredNode(): string {
  const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const m = /^>=\s*(\d+(?:\.\d+)*)$/.exec(engines);
  if (!m?.[1]) throw new Error(`package.json engines.node must read '>=X.Y', got '${engines}'`);
  return m[1];
}

const nodeCheck: Check = {
  projects: ['unit', 'integration', 'e2e', 'web', 'real'],
  run: () => {
    const want = requiredNode();
    return versionAtLeast(process.versions.node, want)
      ? undefined
      : { what: `Node >= ${want} (found ${process.versions.node})`, how: `Node ${want.split('.')[0]} from nodejs.org or a version manager (nvm install ${want.split('.')[0]})` };
  },
};

const CLUSTER: readonly Project[] = ['integration', 'e2e', 'real'];

const goCheck: Check = {
  projects: CLUSTER,
  run: (env) => {
    const want = requiredGo();
    // the build pins GOTOOLCHAIN=local: a newer toolchain is never fetched behind the user's back
    const res = onPath('go', env) ? spawnSync('go', ['env', 'GOVERSION'], { env: { ...env, GOTOOLCHAIN: 'local' }, encoding: 'utf8' }) : undefined;
    const have = res?.status === 0 ? /^go(\d+(?:\.\d+)*)/.exec(res.stdout.trim())?.[1] : undefined;
    if (have !== undefined && versionAtLeast(have, want)) return undefined;
    return {
      what: `Go >= ${want} (found ${have === undefined ? 'none' : `go${have}`})`,
      how: `a release from go.dev/dl, or with any Go >= 1.21 run GOTOOLCHAIN=go${want} go version (fetched from the Go module proxy) and put $(GOTOOLCHAIN=go${want} go env GOROOT)/bin first on PATH; Debian's golang-go is older`,
    };
  },
};

const pythonCheck: Check = {
  projects: ['unit', 'integration', 'e2e'],
  run: (env) => {
    if (!onPath('python3', env)) return { what: 'python3 with venv', how: apt('python3 and python3-venv'), debian: 'python3 python3-venv' };
    const venv = spawnSync('python3', ['-c', 'import venv, ensurepip'], { env, stdio: 'ignore' });
    return venv.status === 0 ? undefined : { what: 'python3 venv', how: apt('python3-venv'), debian: 'python3-venv' };
  },
};

const chromiumCheck: Check = {
  projects: ['e2e'],
  run: (env) => {
    const exe = env.CHROMIUM_PATH ?? chromiumPath();
    return existsSync(exe) ? undefined : { what: `Chromium (${exe})`, how: `${apt('chromium')}, or set CHROMIUM_PATH`, debian: 'chromium' };
  },
};

const rootCheck: Check = {
  projects: CLUSTER,
  realNodeOnly: true,
  run: () => (process.getuid?.() === 0 ? undefined : { what: 'root', how: 'the real node runs containers and sets up networking: run as root' }),
};

const CHECKS: readonly Check[] = [
  nodeCheck,
  goCheck,
  command('bash', ['unit', ...CLUSTER]),
  command('flock', ['unit', ...CLUSTER], 'util-linux'),
  command('openssl', CLUSTER),
  command('shellcheck', ['unit']),
  // the maintenance page's responder runs under busybox's nc and sh in test/unit/constructs/maintenance.test.ts
  command('busybox', ['unit'], 'busybox-static'),
  // the backup round trip on loopback (test/integration/backup-roundtrip.test.ts): restic, its scripts'
  // JSON tool, and Debian's MariaDB beside the PostgreSQL the Medusa tests already start
  command('restic', ['integration']),
  command('jq', ['integration']),
  command('mariadb-install-db', ['integration'], 'mariadb-server'),
  pythonCheck,
  chromiumCheck,
  // the real node (STORE_PLATFORM_REAL_NODE=1): containers, their networking and their images
  ...(['containerd', 'runc', 'iptables', 'ipset', 'conntrack', 'debootstrap', 'umoci'] as const).map((c) =>
    command(c, CLUSTER, c, true),
  ),
  rootCheck,
];

/** Everything missing for the given projects (all of them by default). */
export function missingPrerequisites(env: NodeJS.ProcessEnv = process.env, projects: readonly Project[] = ['unit', 'integration', 'e2e', 'web', 'real']): Missing[] {
  const realNode = env.STORE_PLATFORM_REAL_NODE === '1';
  return CHECKS.filter((c) => (realNode || !c.realNodeOnly) && c.projects.some((p) => projects.includes(p)))
    .map((c) => c.run(env))
    .filter((m): m is Missing => m !== undefined);
}

/** The one line: every missing piece with how to get it, then one apt-get line for the Debian ones. */
export function describeMissing(missing: readonly Missing[]): string {
  const debs = missing.flatMap((m) => (m.debian ? m.debian.split(' ') : []));
  const install = debs.length > 0 ? ` As root: apt-get install -y ${[...new Set(debs)].join(' ')}` : '';
  return `npm test is missing ${missing.length} prerequisite${missing.length === 1 ? '' : 's'}: ${missing.map((m) => `${m.what} (${m.how})`).join('; ')}.${install}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    process.stderr.write(`${describeMissing(missing)}\n`);
    process.exit(1);
  }
  process.stdout.write('prerequisites: all present\n');
}

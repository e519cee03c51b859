import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMissing, requiredGo, versionAtLeast } from '../../../scripts/prerequisites.js';
import { PREPARED_ENV } from '../../global-setup.js';

// The check npm test runs first, run the way a newcomer meets it: in a child process whose PATH has
// every tool but the removed ones (a folder of links to this machine's tools).

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const TOOLS = ['bash', 'flock', 'go', 'openssl', 'shellcheck', 'busybox', 'python3', 'restic', 'jq', 'mariadb-install-db'] as const;

let bin: string;

/** Where this machine's tool really lives (python3 may be a version manager's shim). */
function realTool(name: string): string {
  if (name === 'python3') return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
}

/** A PATH holding every tool of TOOLS except `without`. */
function pathWithout(...without: string[]): string {
  const dir = mkdtempSync(join(bin, 'path-'));
  for (const t of TOOLS) if (!without.includes(t)) symlinkSync(realTool(t), join(dir, t));
  return dir;
}

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'sp-prereq-'));
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function run(args: readonly string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** This process's environment without the switches under test, plus `over`. */
function envWith(over: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.STORE_PLATFORM_REAL_NODE;
  delete env.CHROMIUM_PATH;
  // under npm test the lanes skip the check npm test already made; the vitest run here must make it
  delete env[PREPARED_ENV];
  return { ...env, ...over };
}

const check = (env: NodeJS.ProcessEnv) => run(['--import', 'tsx', 'scripts/prerequisites.ts'], env);

// each case starts node (and tsx or vitest) afresh: seconds apiece on a busy 2-core machine
describe('the prerequisite check of npm test', { timeout: 60_000 }, () => {
  it('passes with every tool present', () => {
    const res = check(envWith({ PATH: pathWithout() }));
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('fails with one line naming every missing prerequisite and how to get each', () => {
    const res = check(envWith({ PATH: pathWithout('shellcheck', 'go'), CHROMIUM_PATH: join(bin, 'no-chromium') }));
    expect(res.status).toBe(1);
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatch(/^npm test is missing 3 prerequisites: /);
    expect(line).toContain('shellcheck (Debian package shellcheck)');
    expect(line).toContain(`Go >= ${requiredGo()} (found none) (a release from go.dev/dl, or with any Go >= 1.21 run GOTOOLCHAIN=go${requiredGo()} go version`);
    expect(line).toContain('Chromium (');
    expect(line).toMatch(/As root: apt-get install -y shellcheck chromium$/);
    expect(line).not.toContain('golang-go (');
    expect(line).not.toMatch(/openssl|python3/);
  });

  it('names the real node\'s packages and root only when the real node is asked for', () => {
    const without = pathWithout();
    expect(check(envWith({ PATH: without })).stderr).not.toContain('containerd');
    const res = check(envWith({ PATH: without, STORE_PLATFORM_REAL_NODE: '1' }));
    expect(res.status).toBe(1);
    for (const pkg of ['containerd', 'runc', 'iptables', 'ipset', 'conntrack', 'debootstrap', 'umoci']) expect(res.stderr).toContain(`${pkg} (Debian package ${pkg})`);
  });

  it('fails a vitest run before any project runs, with the same one line', () => {
    const res = run(['node_modules/vitest/vitest.mjs', 'run', '--project', 'unit', 'test/unit/infra'], envWith({ PATH: pathWithout('shellcheck') }));
    expect(res.status).toBe(1);
    expect(res.stderr.trimEnd().split('\n')).toEqual([describeMissing([{ what: 'shellcheck', how: 'Debian package shellcheck', debian: 'shellcheck' }])]);
    expect(res.stdout).not.toMatch(/Test Files|passed|No test files found/);
  });
});

describe('versionAtLeast', () => {
  it('compares field by field, numerically', () => {
    expect(versionAtLeast('1.26.8', '1.26.8')).toBe(true);
    expect(versionAtLeast('1.26.10', '1.26.8')).toBe(true);
    expect(versionAtLeast('1.26', '1.26.8')).toBe(false);
    expect(versionAtLeast('1.19.8', '1.26.8')).toBe(false);
    expect(versionAtLeast('20.20.2', '20.19')).toBe(true);
  });
});

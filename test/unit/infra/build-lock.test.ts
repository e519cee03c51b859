import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// infra/cluster/build.sh against a stub `go` on PATH: the compiler is not under test, the lock and the
// cache are. The stub records every `go build`, and holds the first one until the test releases it, so
// the second build.sh provably asks while the first is building.

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const buildSh = join(root, 'infra/cluster/build.sh');

const STUB_GO = `#!/usr/bin/env bash
set -euo pipefail
case "$1" in
  env) echo "$STUB_GO_VERSION" ;;
  version) echo "go version $STUB_GO_VERSION linux/amd64" ;;
  build)
    echo "build $*" >> "$STUB_DIR/calls"
    touch "$STUB_DIR/started"
    while [ ! -e "$STUB_DIR/release" ]; do [ -d "$STUB_DIR" ] || exit 4; sleep 0.05; done
    out=; pkgs=()
    shift
    while [ $# -gt 0 ]; do
      case "$1" in -o) out=$2; shift 2 ;; -ldflags) shift 2 ;; -*) shift ;; *) pkgs+=("$1"); shift ;; esac
    done
    for p in "\${pkgs[@]}"; do f="$out/$(basename "$p")"; [ "\${out: -1}" = / ] || f=$out; printf '#!/bin/sh\\n' > "$f"; chmod +x "$f"; done ;;
  *) echo "stub go: unexpected $*" >&2; exit 3 ;;
esac
`;

interface Run {
  readonly code: number;
  readonly out: string;
}

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sp-build-lock-'));
  writeFileSync(join(dir, 'go'), STUB_GO);
  chmodSync(join(dir, 'go'), 0o755);
  env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, STUB_DIR: dir, STUB_GO_VERSION: 'go1.26.8', STORE_PLATFORM_CACHE: join(dir, 'cache') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function start(args: readonly string[]): { done: Promise<Run>; output: () => string } {
  const child = spawn('bash', [buildSh, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const done = new Promise<Run>((ok) => child.on('close', (code) => ok({ code: code ?? -1, out })));
  return { done, output: () => out };
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const builds = (): string[] => (existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : []);

describe('infra/cluster/build.sh', { timeout: 60_000 }, () => {
  it('builds helm once when two processes ask at once; the second waits and reuses it', async () => {
    const first = start(['helm']);
    await until('the first go build', () => existsSync(join(dir, 'started')));
    const second = start(['helm']);
    await until('the second to wait for the lock', () => second.output().includes('waiting for another build'));
    writeFileSync(join(dir, 'release'), '');
    const [a, b] = await Promise.all([first.done, second.done]);

    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    expect(builds()).toHaveLength(1);
    expect(builds()[0]).toContain('helm.sh/helm/v3/cmd/helm');
    expect(a.out).toMatch(/✓ helm v[\d.]+ built in \d+s/);
    expect(b.out).toMatch(/✓ helm v[\d.]+ \(cached\)/);
    expect(existsSync(join(dir, 'cache', 'bin', `helm-${/HELM_VERSION=(\S+)/.exec(readFileSync(join(root, 'infra/cluster/versions.env'), 'utf8'))?.[1] ?? ''}`, 'helm'))).toBe(true);
  });

  it('lists every target of its case list, the simulated cluster and helm included', () => {
    const res = spawnSync('bash', [buildSh, '--list'], { env, encoding: 'utf8' });
    expect(res.status).toBe(0);
    const targets = res.stdout.trim().split('\n');
    expect(targets).toEqual(expect.arrayContaining(['kubernetes', 'etcd', 'kwok', 'helm']));
    for (const t of targets) expect(readFileSync(buildSh, 'utf8')).toContain(`    ${t}) `);
  });

  it('fails with one line naming the Go it needs when go is older, never suggesting golang-go', () => {
    env.STUB_GO_VERSION = 'go1.19.8';
    const res = spawnSync('bash', [buildSh, 'helm'], { env, encoding: 'utf8' });
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^go is go1\.19\.8: install Go >= 1\.26\.\d+ /);
    expect(lines[0]).toContain('GOTOOLCHAIN=go1.26');
    expect(lines[0]).not.toContain('apt-get install golang-go');
    expect(builds()).toHaveLength(0);
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hadolintBinary } from '../support/hadolint.js';

// The image's contract, checked without a container runtime: hadolint for Dockerfile best practice, plus
// the rules this project relies on (documented in README.md, "The container image").

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l)!;
      return { op: m[1]!.toUpperCase(), args: m[2]! };
    });
}

const ins = instructions(dockerfile);
const stages = (() => {
  const out: Instruction[][] = [];
  for (const i of ins) {
    if (i.op === 'FROM') out.push([]);
    out.at(-1)?.push(i);
  }
  return out;
})();
const finalStage = stages.at(-1) ?? [];
const argDefault = (name: string) => ins.find((i) => i.op === 'ARG' && i.args.startsWith(`${name}=`))?.args.slice(name.length + 1);

describe('Dockerfile', () => {
  let hadolint: string;
  // the first run installs hadolint (pip, possibly into a fresh venv): minutes, once per machine
  beforeAll(() => {
    hadolint = hadolintBinary();
  }, 300_000);

  it('passes hadolint', () => {
    const res = spawnSync(hadolint, ['--failure-threshold', 'info', '-'], { input: dockerfile, encoding: 'utf8' });
    expect(res.stdout + res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('is multi-stage on one pinned Debian Node 20 base (better-sqlite3 is native)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const bases = new Set(stages.map((s) => s[0]!.args.split(/\s+/)[0]));
    expect([...bases]).toEqual(['${NODE_IMAGE}']);
    // a full version and a Debian release name: never `latest`, `20` or an Alpine (musl) base
    expect(argDefault('NODE_IMAGE')).toMatch(/^node:20\.\d+\.\d+-(bookworm|trixie)(-slim)?(@sha256:[0-9a-f]{64})?$/);
  });

  it('installs with npm ci, builds, copies the migrations and prunes dev dependencies', () => {
    const run = ins.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    expect(run).toMatch(/\bnpm ci\b/);
    expect(run).not.toMatch(/\bnpm (install|i)\b/);
    expect(run).toMatch(/npm run build/);
    expect(run).toMatch(/cp -r src\/db\/migrations dist\/src\/db\/migrations/);
    expect(run).toMatch(/npm prune --omit=dev/);
    // the final stage copies build output only: no sources, no toolchain
    expect(finalStage.filter((i) => i.op === 'COPY').every((i) => i.args.includes('--from='))).toBe(true);
  });

  it('fetches nothing from URLs with ADD', () => {
    expect(ins.filter((i) => i.op === 'ADD')).toEqual([]);
  });

  it('runs as the non-root uid the Helm chart expects, under tini, with a /data volume', () => {
    const user = finalStage.filter((i) => i.op === 'USER').at(-1)?.args ?? 'root';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const values = parse(readFileSync(join(root, 'charts/store-platform/values.yaml'), 'utf8')) as {
      podSecurityContext: { runAsUser: number; runAsGroup: number };
    };
    expect(user).toBe(`${values.podSecurityContext.runAsUser}:${values.podSecurityContext.runAsGroup}`);
    expect(finalStage.find((i) => i.op === 'ENTRYPOINT')?.args).toMatch(/tini/);
    expect(finalStage.find((i) => i.op === 'VOLUME')?.args).toContain('/data');
    expect(finalStage.find((i) => i.op === 'ENV')?.args).toMatch(/HOST=0\.0\.0\.0/);
    expect(finalStage.find((i) => i.op === 'ENV')?.args).toMatch(/DATABASE_PATH=\/data\//);
  });

  it('has a HEALTHCHECK on /healthz that needs only node', () => {
    const hc = finalStage.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(hc).toMatch(/CMD \["node"/);
    expect(hc).toContain('/healthz');
    expect(hc).not.toMatch(/curl|wget/);
  });

  it('keeps secrets, databases and dependencies out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['.git', 'node_modules', 'dist', '.cluster', '.env', '*.db']) expect(ignored).toContain(p);
  });

  it('fails the structural checks on a Dockerfile that breaks them', () => {
    const bad = instructions('FROM node:latest\nADD https://example.com/x /x\nRUN npm install\nUSER root\n');
    expect(bad.find((i) => i.op === 'ADD')).toBeDefined();
    expect(bad.find((i) => i.op === 'USER')?.args).toMatch(/^(root|0)(:|$)/);
    const res = spawnSync(hadolint, ['-'], { input: 'FROM node:latest\nADD https://example.com/x /x\n', encoding: 'utf8' });
    expect(res.status).not.toBe(0);
    expect(res.stdout).toMatch(/DL3007/); // latest tag
  });
});

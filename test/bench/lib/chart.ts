import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject, SynthesizedStep } from '../../../constructs/index.js';
import type { ChartValues } from './stores.js';
import { gnuTime, helmEnv, helmPath } from './tools.js';

export interface HelmRun {
  readonly stdout: string;
  readonly wallMs: number;
  /** Peak RSS of the helm process in bytes (undefined without GNU time). */
  readonly maxRssBytes: number | undefined;
}

/**
 * `helm template` of the equivalent chart for one store, spawned as an operator's script would
 * (one process per store). The values file is written first and counted in the time.
 */
export async function helmTemplate(chartDir: string, values: ChartValues, valuesFile: string): Promise<HelmRun> {
  const t0 = performance.now();
  writeFileSync(valuesFile, stringify(values));
  const helm = helmPath();
  const time = gnuTime();
  const args = ['template', `store-${values.slug}`, chartDir, '-f', valuesFile];
  const [cmd, argv] = time ? [time, ['-f', '__MAXRSS__%M', helm, ...args]] : [helm, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: helmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) return reject(new Error(`helm template exited ${code}: ${stderr.trim()}`));
      const m = /__MAXRSS__(\d+)/.exec(stderr);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), wallMs, maxRssBytes: m ? Number(m[1]) * 1024 : undefined });
    });
  });
}

const keyOf = (o: { kind: string; metadata: { name: string; namespace?: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Differences between helm's rendering and the synthesized objects; empty when equivalent. */
export function compareRendering(helmYaml: string, steps: readonly SynthesizedStep[]): string[] {
  const rendered = new Map<string, unknown>();
  for (const doc of parseAllDocuments(helmYaml)) {
    if (doc.errors.length > 0) return [`helm output is not YAML: ${doc.errors[0]!.message}`];
    const o = doc.toJS() as KubeObject | null;
    if (o) rendered.set(keyOf(o), o);
  }
  const problems: string[] = [];
  const expected = steps.flatMap((s) => s.objects);
  for (const o of expected) {
    const got = rendered.get(keyOf(o));
    if (got === undefined) problems.push(`${keyOf(o)} missing from helm output`);
    else if (!isDeepStrictEqual(got, JSON.parse(JSON.stringify(o)))) problems.push(`${keyOf(o)} differs: ${firstDifference(got, o)}`);
    rendered.delete(keyOf(o));
  }
  for (const k of rendered.keys()) problems.push(`${k} rendered by helm but not synthesized`);
  return problems;
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return `${path || '.'}: ${JSON.stringify(a)?.slice(0, 80)} != ${JSON.stringify(b)?.slice(0, 80)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
  for (const k of keys) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}.${k}`);
  }
  return path;
}

/** The chart's templates, for reporting its size. */
export function chartLines(files: readonly string[]): number {
  return files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
}

import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../../infra/cluster/paths.js';

/** Where the benchmark's transpiled platform lives (git-ignored). */
export const BUILD_DIR = join(REPO_ROOT, 'test/bench/results/tmp/build');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'web' || name === 'node_modules' ? [] : tsFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Transpiles src/, constructs/ and imports/ file by file (same layout, so import.meta.url paths such
 * as the migrations folder keep working) and copies the migrations. The platform then runs on plain
 * node, without a TypeScript loader in the process whose RSS and latency we measure. Type errors are
 * `npm run typecheck`'s business, not the benchmark's.
 */
export async function buildPlatform(): Promise<string> {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const entryPoints = ['src', 'constructs', 'imports'].flatMap((d) => tsFiles(join(REPO_ROOT, d)));
  await build({
    entryPoints,
    outdir: BUILD_DIR,
    outbase: REPO_ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    sourcemap: false,
    logLevel: 'error',
  });
  const migrations = join(REPO_ROOT, 'src/db/migrations');
  cpSync(migrations, join(BUILD_DIR, relative(REPO_ROOT, migrations)), { recursive: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  return join(BUILD_DIR, 'src/main.js');
}

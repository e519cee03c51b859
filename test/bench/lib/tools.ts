import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, binDir, cacheDir, readVersions } from '../../../infra/cluster/paths.js';

// helm and kubectl built from their pinned Go modules (infra/cluster/build.sh), never a system copy,
// so the baseline is the same version on every machine.

function ensureBuilt(component: 'helm' | 'kubernetes', version: string, binary: string): string {
  const path = join(binDir(component, version), binary);
  if (!existsSync(path)) {
    execFileSync('bash', [join(REPO_ROOT, 'infra/cluster/build.sh'), component], { stdio: 'inherit', timeout: 30 * 60_000 });
  }
  if (!existsSync(path)) throw new Error(`${binary} was not built by infra/cluster/build.sh ${component}`);
  return path;
}

export function helmPath(): string {
  return ensureBuilt('helm', readVersions().helm, 'helm');
}

export function kubectlPath(): string {
  return ensureBuilt('kubernetes', readVersions().kubernetes, 'kubectl');
}

/** helm's own state directories under the cache, so the benchmark never touches the user's helm setup. */
export function helmEnv(): NodeJS.ProcessEnv {
  const base = join(cacheDir(), 'helm');
  return { ...process.env, HELM_CACHE_HOME: join(base, 'cache'), HELM_CONFIG_HOME: join(base, 'config'), HELM_DATA_HOME: join(base, 'data') };
}

/** GNU time (the `time` program on PATH, not the shell keyword), used to read a child's peak RSS; undefined when absent. */
export function gnuTime(): string | undefined {
  try {
    execFileSync('time', ['-f', '%M', 'true'], { stdio: 'pipe' });
    return 'time';
  } catch {
    return undefined;
  }
}

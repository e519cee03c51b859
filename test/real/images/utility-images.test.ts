import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CURL_GID, CURL_UID } from '../../../constructs/woocommerce/store-check.js';
import { useImage } from './support/prereqs.js';
import { Container, runToCompletion, waitFor } from './support/runc.js';

const SIGTERM_BIT = 1n << 14n; // signal 15, bit 15 - 1

/** Whether the process has blocked or caught SIGTERM (/proc/<pid>/status SigBlk, SigCgt). */
function takesSigterm(pid: number): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mask = (field: string): bigint => BigInt(`0x${status.match(new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm'))?.[1] ?? '0'}`);
  return ((mask('SigBlk') | mask('SigCgt')) & SIGTERM_BIT) !== 0n;
}

describe('node stand-in (node:20-bookworm-slim contract)', () => {
  const image = useImage('node');

  it('runs `node -e` through the entrypoint as the node user (1000) on a read-only root', async () => {
    const out = await runToCompletion(image(), { args: ['-e', 'console.log(process.version, process.getuid(), require("os").userInfo().username)'], user: { uid: 1000, gid: 1000 }, readOnlyRootFilesystem: true, emptyDirs: ['/tmp'] });
    expect(out.trim()).toMatch(/^v20\.\d+\.\d+ 1000 node$/);
  });

  it('has npm and npx on PATH and is root by default, so a Dockerfile can apt-get on it', async () => {
    const out = await runToCompletion(image(), { command: ['sh', '-c', 'npm --version && npx --version && id -u && command -v apt-get'] });
    expect(out.trim().split('\n')).toEqual([expect.stringMatching(/^\d+\.\d+\.\d+$/), expect.stringMatching(/^\d+\.\d+\.\d+$/), '0', '/usr/bin/apt-get']);
  });
});

describe('curl stand-in (the store check contract)', () => {
  const image = useImage('curl');

  it('has curl, grep and sed for curl_user (100:101) on a read-only root, as the store-check Job runs', async () => {
    const script = 'id -u; id -g; curl --version | head -n 1; printf "a\\"id\\":7,b" | grep -o "\\"id\\":[0-9]*" | sed "s/.*://"';
    const out = await runToCompletion(image(), { command: ['/bin/sh', '-c', script], user: { uid: CURL_UID, gid: CURL_GID }, readOnlyRootFilesystem: true, emptyDirs: ['/tmp'] });
    expect(out.trim().split('\n')).toEqual([String(CURL_UID), String(CURL_GID), expect.stringMatching(/^curl 7\.88/), '7']);
  });

  it('makes HTTP requests (a refused port is reported as such, not as a missing tool)', async () => {
    const out = await runToCompletion(image(), { args: ['-sS', '-o', '/dev/null', '-w', '%{http_code}\\n', 'http://127.0.0.1:9/'], user: { uid: CURL_UID, gid: CURL_GID } });
    expect(out).toMatch(/Failed to connect to 127\.0\.0\.1 port 9/);
  });
});

describe('pause stand-in (the pod sandbox)', () => {
  const image = useImage('pause');

  it('holds the sandbox as a non-root PID 1 and exits promptly on SIGTERM', async () => {
    const c = await Container.start(image(), {});
    try {
      expect(await c.status()).toBe('running');
      expect((await c.inNetwork(['sh', '-c', `stat -c %u /proc/${c.pid}`])).stdout.trim()).toBe('65535');
      // PID 1 gets no signal it has not asked for: wait until catatonit blocks or catches SIGTERM, as it does from its first lines
      await waitFor('catatonit to take SIGTERM', async () => takesSigterm(c.pid), 5_000);
      const t0 = Date.now();
      await c.stop(10_000);
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      await c.remove();
    }
  });
});

describe('wp-cli stand-in (wordpress:cli image shape; wp-cli itself is not available here)', () => {
  const image = useImage('wp-cli');

  it('runs PHP 8.2 with mysqli and the MariaDB client as uid 33 in /var/www/html on a read-only root', async () => {
    const script = 'id -u; pwd; php -r "echo PHP_MAJOR_VERSION . \\".\\" . PHP_MINOR_VERSION, \\" \\", extension_loaded(\\"mysqli\\") ? \\"mysqli\\" : \\"none\\", PHP_EOL;"; mysql --version | cut -d" " -f1';
    const out = await runToCompletion(image(), { command: ['docker-entrypoint.sh', 'sh', '-c', script], user: { uid: 33, gid: 33 }, workingDir: '/var/www/html', readOnlyRootFilesystem: true, emptyDirs: ['/tmp', '/var/www/html'] });
    expect(out.trim().split('\n')).toEqual(['33', '/var/www/html', '8.2 mysqli', 'mysql']);
  });

  it('fails every wp command with one line saying wp-cli is not available (the placeholder)', async () => {
    const out = await runToCompletion(image(), { command: ['sh', '-c', 'wp core is-installed; echo "exit $?"'], user: { uid: 33, gid: 33 } });
    expect(out.trim().split('\n')).toEqual([expect.stringMatching(/^wp-cli is not available in this stand-in image/), 'exit 69']);
  });
});

describe('backup stand-in (the backup and restore Jobs\' image)', () => {
  const image = useImage('backup');

  it('runs restic, jq and both engines\' database clients for any uid on a read-only root', async () => {
    const script = 'id -u; restic version | cut -d" " -f1-2; jq --version; mariadb-dump --version | cut -d" " -f1; pg_dump --version; '
      + 'for t in mariadb pg_restore psql timeout sha256sum mkfifo stat find awk; do command -v "$t" >/dev/null || echo "missing $t"; done; '
      + 'mkfifo /tmp/pipe && echo fifo';
    const out = await runToCompletion(image(), { command: ['/bin/sh', '-c', script], user: { uid: 33, gid: 33 }, readOnlyRootFilesystem: true, emptyDirs: ['/tmp'] });
    expect(out.trim().split('\n')).toEqual(['33', 'restic 0.14.0', 'jq-1.6', 'mariadb-dump', expect.stringMatching(/^pg_dump \(PostgreSQL\) 15\.\d+/), 'fifo']);
  });
});

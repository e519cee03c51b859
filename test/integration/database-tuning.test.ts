import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLANS, planTable } from '../../constructs/index.js';
import { databaseCnf } from '../../constructs/woocommerce/tuning.js';
import { databaseProbe } from '../../constructs/woocommerce/mysql.js';
import { spawnSync } from 'node:child_process';
import { startMariaDb, type MariaDb } from './backup-stack.js';

// Every database setting the constructs emit must be accepted by the server the real node runs
// (MariaDB): Debian's MariaDB is started here with each plan's option file, exactly as synthesized,
// and must come up with every value in effect. (An unknown option stops mariadbd at start.) MySQL 8.4
// runs nowhere here: the file's MySQL-only setting is `loose-`, which MariaDB only warns about. The
// StatefulSet's probes run here too, as synthesized, against such a server.

const dirs: string[] = [];
let server: MariaDb | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe.each(PLANS)('the %s plan\'s database settings on MariaDB', (plan) => {
  it('start the server with every value in effect and binary logging off', async () => {
    const dir = mkdtempSync(join(tmpdir(), `db-tuning-${plan}-`));
    dirs.push(dir);
    const cnf = join(dir, 'zz-store-platform.cnf');
    writeFileSync(cnf, databaseCnf(planTable[plan]));
    server = await startMariaDb(dir, { defaultsFile: cnf });
    const d = planTable[plan].tuning.database;
    const [pool, tmp, heap, connections, logBin, ps] = server.sql(
      'SELECT @@innodb_buffer_pool_size, @@tmp_table_size, @@max_heap_table_size, @@max_connections, @@log_bin, @@performance_schema',
    ).trim().split('\t').map(Number);
    const mib = 1024 * 1024;
    expect({ pool, tmp, heap, connections, logBin, ps }).toEqual({
      pool: d.innodbBufferPoolMiB * mib, tmp: d.tmpTableMiB * mib, heap: d.tmpTableMiB * mib, connections: d.maxConnections, logBin: 0, ps: 0,
    });
  });
});

describe('the database probes, as synthesized', () => {
  it('sign in as root with the Secret\'s password through the option file, and refuse a wrong one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-probe-'));
    dirs.push(dir);
    server = await startMariaDb(dir);
    server.sql("ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'probe-Passw0rd-from-secret'");
    // the probe's own command, pointed at the test server's port (the pod's is the default 3306)
    const run = (probe: string[], password: string) => {
      const script = probe[2]!.replace('-h 127.0.0.1', `-h 127.0.0.1 -P ${server!.port}`);
      return spawnSync(probe[0]!, [probe[1]!, script], { env: { PATH: process.env['PATH'] ?? '', MYSQL_ROOT_PASSWORD: password }, encoding: 'utf8' });
    };
    const ready = run(databaseProbe('SELECT 1'), 'probe-Passw0rd-from-secret');
    expect({ status: ready.status, stderr: ready.stderr }).toEqual({ status: 0, stderr: '' });
    const refused = run(databaseProbe('SELECT 1'), 'wrong-password');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/Access denied for user 'root'@'127\.0\.0\.1' \(using password: YES\)/);
    // liveness asks only whether the server answers
    expect(run(databaseProbe('ping'), 'probe-Passw0rd-from-secret').status).toBe(0);
  });
});

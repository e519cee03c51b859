/**
 * `npm test`: every vitest project, in three lanes side by side. The real node's tests spend most of
 * their time waiting on real pods (the two cores sit about 70% idle through them), so the stand-in
 * images' contract tests and unit, web, integration and e2e run beside them rather than before them.
 * Each lane is one `vitest run`, its lines prefixed with the lane's name; the run fails when any fails.
 *
 * Before the lanes: the prerequisite check (one line naming everything missing), the binaries built
 * once, and the simulated cluster with its real node reused or started (and stopped at the end), so
 * the lanes' global setups find everything ready instead of racing to make it.
 * With arguments (`npm test -- test/unit/k8s`), it is one plain `vitest run` with them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { down, isHealthy, readState, up } from '../infra/cluster/cluster.js';
import { PREPARED_ENV } from '../test/global-setup.js';
import { describeMissing, missingPrerequisites } from './prerequisites.js';

const VITEST = 'node_modules/vitest/vitest.mjs';

interface Lane {
  readonly name: string;
  /** What the lane runs, for its closing line. */
  readonly what: string;
  readonly args: readonly string[];
}

// The stand-in images' contract tests run their own throwaway containerd and runc, not the real node,
// so they need not queue behind its files.
const LANES: readonly Lane[] = [
  { name: 'real', what: 'the real node', args: ['--project', 'real', '--exclude', 'test/real/images/**'] },
  { name: 'images', what: 'the stand-in images', args: ['--project', 'real', 'test/real/images/'] },
  { name: 'main', what: 'unit, web, integration, e2e', args: ['--project', 'unit', '--project', 'web', '--project', 'integration', '--project', 'e2e'] },
];

const say = (m: string): void => void process.stdout.write(`[test] ${m}\n`);

/** Runs one lane, each of its lines prefixed; resolves with its exit code. */
function runLane(lane: Lane, children: ChildProcess[]): Promise<{ code: number; seconds: number }> {
  const started = Date.now();
  const args = [VITEST, 'run', ...lane.args];
  // piped output is no terminal: keep the colours a terminal would have shown
  const colour = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
  const child = spawn(process.execPath, args, { env: { ...process.env, ...colour, [PREPARED_ENV]: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
    createInterface({ input: stream }).on('line', (line) => out.write(`[${lane.name}] ${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

async function main(): Promise<number> {
  const passThrough = process.argv.slice(2);
  if (passThrough.length > 0) {
    return spawnSync(process.execPath, [VITEST, 'run', ...passThrough], { stdio: 'inherit' }).status ?? 1;
  }
  const missing = missingPrerequisites(process.env);
  if (missing.length > 0) {
    process.stderr.write(`${describeMissing(missing)}\n`);
    return 1;
  }
  const built = spawnSync('bash', ['infra/cluster/build.sh'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`infra/cluster/build.sh exited ${built.status ?? built.signal}: see its output above`);

  let startedCluster = false;
  if (!process.env.KUBECONFIG) {
    const existing = readState();
    if (existing && (await isHealthy(existing))) {
      if (!existing.realNode) throw new Error('the running simulated cluster has no real node, which the `real` tests need: npm run cluster:down, then npm run cluster:up -- --real-node');
      say(`reusing the simulated cluster at https://${existing.apiserverHost}:${existing.ports.apiserver}`);
    } else {
      await up((m) => say(`cluster: ${m}`), {}, undefined, { realNode: true });
      startedCluster = true;
    }
  }

  const children: ChildProcess[] = [];
  const stop = (signal: NodeJS.Signals): void => void children.forEach((c) => c.kill(signal));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const results = await Promise.all(LANES.map((lane) => runLane(lane, children)));
    LANES.forEach((lane, i) => say(`lane ${lane.name} (${lane.what}): ${results[i]!.code === 0 ? 'passed' : 'FAILED'} in ${results[i]!.seconds} s`));
    return results.every((r) => r.code === 0) ? 0 : 1;
  } finally {
    if (startedCluster) await down((m) => say(`cluster: ${m}`));
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`npm test: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

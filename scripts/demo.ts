/**
 * `npm run demo`: the whole platform on this machine. Starts the simulated cluster (or reuses a running
 * one), runs the API with a fresh admin key on PORT (8080, or a free port when that is taken), and
 * prints the URLs, the key and the database (scripts/demo-banner.ts). Ctrl-C stops the API; the cluster keeps
 * running until `npm run cluster:down`, which deletes the demo's database with the rest of `.cluster/`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isHealthy, readState, up } from '../infra/cluster/cluster.js';
import { clusterDir } from '../infra/cluster/paths.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startPlatform, type Platform } from '../src/server.js';
import { demoBanner } from './demo-banner.js';

const say = (m: string): void => void process.stdout.write(`[demo] ${m}\n`);

async function main(): Promise<void> {
  let state = readState();
  // with its real node, as npm test needs it; STORE_PLATFORM_REAL_NODE=0 keeps to the kwok nodes
  const realNode = process.env.STORE_PLATFORM_REAL_NODE !== '0';
  if (!state || !(await isHealthy(state))) {
    say(`starting the simulated cluster${realNode ? ' with its real node' : ''} (the first run builds it; later runs take a minute)`);
    state = await up((m) => say(`cluster: ${m}`), {}, undefined, { realNode });
  } else {
    say(`reusing the simulated cluster at https://${state.apiserverHost}:${state.ports.apiserver}`);
  }

  const adminKey = `sp-demo-${randomBytes(24).toString('base64url')}`;
  const dir = clusterDir();
  mkdirSync(dir, { recursive: true });
  let config: Config;
  try {
    config = loadConfig({
      DATABASE_PATH: join(dir, 'demo-platform.db'),
      LOG_LEVEL: 'warn',
      ...process.env,
      KUBECONFIG: process.env.KUBECONFIG ?? state.kubeconfig,
      // a fresh key every run; the previous demo key stops working
      STORE_PLATFORM_ADMIN_KEY: adminKey,
      STORE_PLATFORM_ADMIN_KEY_FILE: undefined,
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`demo: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  let platform: Platform;
  try {
    platform = await startPlatform(config, log);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.env.PORT) throw err;
    say(`port ${config.PORT} is taken; using a free port`);
    platform = await startPlatform({ ...config, PORT: 0 }, log);
  }

  const url = platform.url.replace('://[::1]', '://localhost');
  const dashboard = platform.app.hasRoute({ method: 'GET', url: '/*' });
  process.stdout.write(demoBanner({ url, adminKey, databasePath: resolve(config.DATABASE_PATH), dashboard }));

  const stop = (): void => {
    say('stopping the API');
    platform.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startPlatform } from './server.js';

// loadConfig -> wire deps -> listen; SIGTERM/SIGINT drain the queue and close the app.
let config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`store-platform: ${err.message}\n`);
  process.exit(2);
}

const log = createLogger(config.LOG_LEVEL);
try {
  const platform = await startPlatform(config, log);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'Shutting down');
    platform.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`store-platform: ${err.message}\n`);
    process.exit(2);
  }
  log.fatal({ err }, 'Store Platform failed to start');
  process.exit(1);
}

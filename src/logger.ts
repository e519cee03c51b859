import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
export const REDACT_PATHS = [
  '*.password', '*.stringData', '*.data', '*.token', '*.apiKey',
  'req.headers.authorization', 'headers.authorization', '*.adminPassword',
];

/** The one root logger; main.ts creates it and passes it down. */
export function createLogger(level: LoggerOptions['level'] = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

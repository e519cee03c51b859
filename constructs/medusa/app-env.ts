import * as k8s from '../../imports/k8s.js';
import type { MedusaContext } from './context.js';
import { MEDUSA_NAMES, MEDUSA_PORTS } from './names.js';
import { env, secretEnv } from '../pods.js';
import { APP_KEYS, DB_KEYS, MEDUSA_ADMIN_KEYS } from './secrets.js';

/** `MEDUSA_WORKER_MODE`: `shared` runs HTTP and background work in one process. */
export type WorkerMode = 'shared' | 'server' | 'worker';

/**
 * The environment infra/images/medusa/medusa-config.ts reads, shared by the server, the worker and
 * the Jobs so all load the same configuration. `HOME=/tmp` (an emptyDir): the CLI writes
 * `$HOME/.config` at start and the root filesystem is read-only.
 */
export function medusaEnv(ctx: Pick<MedusaContext, 'url' | 'platform'>, mode: WorkerMode): k8s.EnvVar[] {
  return [
    env('NODE_ENV', 'production'),
    env('HOME', '/tmp'),
    env('PORT', String(MEDUSA_PORTS.server)),
    env('MEDUSA_WORKER_MODE', mode),
    env('MEDUSA_DISABLE_TELEMETRY', 'true'),
    secretEnv('DATABASE_URL', MEDUSA_NAMES.dbSecret, DB_KEYS.url),
    env('REDIS_URL', `redis://${MEDUSA_NAMES.redis}:${MEDUSA_PORTS.redis}`),
    secretEnv('JWT_SECRET', MEDUSA_NAMES.appSecret, APP_KEYS.jwtSecret),
    secretEnv('COOKIE_SECRET', MEDUSA_NAMES.appSecret, APP_KEYS.cookieSecret),
    env('STORE_CORS', ctx.url),
    env('ADMIN_CORS', ctx.url),
    env('AUTH_CORS', ctx.url),
    // Secure session cookies only when the store is served over TLS (else the admin login loops)
    env('MEDUSA_COOKIE_SECURE', ctx.platform.tls.enabled ? 'true' : 'false'),
  ];
}

/** The administrator's email and password, from the `medusa-admin` Secret. */
export function adminEnv(): k8s.EnvVar[] {
  return [
    secretEnv('MEDUSA_ADMIN_EMAIL', MEDUSA_NAMES.adminSecret, MEDUSA_ADMIN_KEYS.email),
    secretEnv('MEDUSA_ADMIN_PASSWORD', MEDUSA_NAMES.adminSecret, MEDUSA_ADMIN_KEYS.password),
  ];
}

/** The `/tmp` emptyDir every Medusa container writes its HOME and temporary files to. */
export const TMP_VOLUME: k8s.Volume = { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } };
export const TMP_MOUNT: k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };

/** The Medusa CLI inside the store image. */
export const MEDUSA_CLI = '/app/node_modules/.bin/medusa';

import { SHARED_NAMES } from '../names.js';

/** Workloads the operator can restart or read logs from on every plan. */
export const MEDUSA_COMPONENTS = {
  postgres: { kind: 'StatefulSet', name: 'postgres', container: 'postgres' },
  redis: { kind: 'Deployment', name: 'redis', container: 'redis' },
  medusa: { kind: 'Deployment', name: 'medusa', container: 'medusa' },
} as const;

/** The separate worker, on plans whose Medusa sizing has one. */
export const MEDUSA_WORKER_COMPONENT = {
  worker: { kind: 'Deployment', name: 'medusa-worker', container: 'medusa' },
} as const;

/** Names of every object a Medusa store creates (the shared ones included). */
export const MEDUSA_NAMES = {
  ...SHARED_NAMES,
  dbSecret: 'postgres-credentials',
  appSecret: 'medusa-secrets',
  adminSecret: 'medusa-admin',
  postgres: 'postgres',
  redis: 'redis',
  server: 'medusa',
  worker: 'medusa-worker',
  setupJob: 'store-setup',
  storeCheckJob: 'store-check',
  ingress: 'medusa',
  tlsSecret: 'medusa-tls',
  resetPasswordJob: 'reset-admin-password',
  policyPostgres: 'postgres',
  policyRedis: 'redis',
  policyServer: 'medusa',
  policyBackendClients: 'backend-clients',
  policyStoreCheck: 'store-check',
} as const;

/** Ports of the Medusa store's Services. */
export const MEDUSA_PORTS = { postgres: 5432, redis: 6379, server: 9000 } as const;

/** Paths inside the store image (infra/images/medusa: the build output at the working directory). */
export const MEDUSA_IMAGE_PATHS = {
  workdir: '/app',
  setupScript: './src/scripts/setup-store.js',
  resetScript: './src/scripts/reset-admin-password.js',
  orderScript: '/app/check/place-order.mjs',
} as const;

/** uid/gid of `node` in the store image, and of the official postgres and redis images' users. */
export const MEDUSA_UID = 1000;
export const POSTGRES_UID = 999;
export const REDIS_UID = 999;

/** Database and user of the store's PostgreSQL. */
export const MEDUSA_DB = { database: 'medusa', username: 'medusa' } as const;

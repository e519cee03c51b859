import { engineBackup } from '../backup/jobs.js';
import { imageVersion } from '../releases.js';
import type { EngineDefinition } from '../engine.js';
import { medusaBackupPod } from './backup.js';
import { MEDUSA_COMPONENTS, MEDUSA_NAMES, MEDUSA_WORKER_COMPONENT } from './names.js';
import { MEDUSA_ADMIN_KEYS } from './secrets.js';
import { MedusaStore, medusaPlanProblems } from './store.js';
import { buildMedusaResetPasswordJob } from './reset-password.js';

/** Medusa v2 on PostgreSQL and Redis, from the store image built from infra/images/medusa. */
export const medusa: EngineDefinition = {
  title: 'Medusa',
  build: (scope, id, props) => new MedusaStore(scope, id, props),
  // 192-bit passwords, 384-bit signing secrets; no Postgres superuser beyond the store's own user
  generateSecrets: (token) => ({
    dbRootPassword: token(24),
    dbPassword: token(24),
    adminPassword: token(24),
    signing: { jwtSecret: token(48), cookieSecret: token(48) },
  }),
  components: (plan) => (plan.medusa?.worker ? { ...MEDUSA_COMPONENTS, ...MEDUSA_WORKER_COMPONENT } : MEDUSA_COMPONENTS),
  admin: { path: '/app/', title: 'Medusa admin user', secretName: MEDUSA_NAMES.adminSecret, usernameKey: MEDUSA_ADMIN_KEYS.email, passwordKey: MEDUSA_ADMIN_KEYS.password },
  resetJobPrefix: `${MEDUSA_NAMES.resetPasswordJob}-`,
  resetPasswordJob: buildMedusaResetPasswordJob,
  planProblems: medusaPlanProblems,
  checkStep: 'store-check',
  // setup finds this store's administrator, region and publishable key, or makes them
  adoptSteps: ['store-setup'],
  backup: engineBackup(medusaBackupPod, ['medusa', 'worker']),
  // the store image's tag names the Medusa package set it was built from
  versioning: { baseVersion: (platform) => imageVersion(platform.images.medusa), images: ['medusa', 'postgres', 'redis'], woocommerceVersion: false },
  mailStatus: () => ({ status: 'unsupported', detail: 'Medusa stores send no mail: the platform wires no notification provider into them' }),
};

export { MEDUSA_COMPONENTS, MEDUSA_DB, MEDUSA_NAMES, MEDUSA_PORTS } from './names.js';
export { APP_KEYS, DB_KEYS, MEDUSA_ADMIN_KEYS } from './secrets.js';
export { MedusaStore, medusaPlanProblems, MEDUSA_MIN_SERVER_MIB } from './store.js';
export { buildMedusaResetPasswordJob } from './reset-password.js';

import { engineBackup } from '../backup/jobs.js';
import type { EngineDefinition } from '../engine.js';
import { wooCommerceBackupPod } from './backup.js';
import { ADMIN_SECRET_KEYS } from './secrets.js';
import { OBJECT_NAMES, STORE_COMPONENTS } from './names.js';
import { planProblems, WooCommerceStore } from './store.js';
import { newStoreDatabaseServer } from './mysql.js';
import { databaseEngineOfImage } from '../images.js';
import { imageVersion } from '../releases.js';
import { buildResetPasswordJob } from './reset-password.js';
import { wooCommerceMailStatus } from './mail.js';
import { SALT_CONSTANTS, type WordPressSalts } from '../spec.js';

/** WooCommerce on WordPress and MySQL. */
export const woocommerce: EngineDefinition = {
  title: 'WooCommerce',
  build: (scope, id, props) => new WooCommerceStore(scope, id, props),
  // 192-bit passwords and 384-bit WordPress keys and salts
  generateSecrets: (token) => {
    const salts = Object.fromEntries(Object.keys(SALT_CONSTANTS).map((k) => [k, token(48)])) as unknown as WordPressSalts;
    return { dbRootPassword: token(24), dbPassword: token(24), adminPassword: token(24), salts };
  },
  components: () => STORE_COMPONENTS,
  admin: { path: '/wp-admin/', title: 'WordPress administrator', secretName: OBJECT_NAMES.adminSecret, usernameKey: ADMIN_SECRET_KEYS.username, passwordKey: ADMIN_SECRET_KEYS.password },
  resetJobPrefix: `${OBJECT_NAMES.resetPasswordJob}-`,
  resetPasswordJob: buildResetPasswordJob,
  planProblems,
  checkStep: 'store-check',
  // setup rewrites the other store's URLs (wp search-replace) and sets this store's settings
  adoptSteps: ['store-setup'],
  backup: engineBackup(wooCommerceBackupPod, ['wordpress']),
  // WordPress core and the WooCommerce plugin together name a release: `7.0.2-wc11.2.0`
  versioning: {
    baseVersion: (platform) => `${/^\d+(\.\d+)*/.exec(imageVersion(platform.images.wordpress))?.[0] ?? imageVersion(platform.images.wordpress)}-wc${platform.woocommerceVersion}`,
    images: ['wordpress', 'wpCli', 'mysql'], woocommerceVersion: true,
  },
  mailStatus: wooCommerceMailStatus,
  database: { forNewStore: newStoreDatabaseServer, workload: STORE_COMPONENTS.mysql, ofImage: databaseEngineOfImage },
};

export { ADMIN_SECRET_KEYS, DB_SECRET_KEYS, WORDPRESS_DB } from './secrets.js';
export { ADMIN_USERNAME, OBJECT_NAMES, SAMPLE_PRODUCT, STORE_COMPONENTS, type StoreComponent } from './names.js';
export { WooCommerceStore, planProblems } from './store.js';
export { buildResetPasswordJob } from './reset-password.js';

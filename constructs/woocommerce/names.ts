import { SHARED_NAMES } from '../names.js';

/** Workloads the operator can restart or read logs from, and how to find them. */
export const STORE_COMPONENTS = {
  mysql: { kind: 'StatefulSet', name: 'mysql', container: 'mysql' },
  wordpress: { kind: 'Deployment', name: 'wordpress', container: 'wordpress' },
} as const;

/** `mysql` | `wordpress`. */
export type StoreComponent = keyof typeof STORE_COMPONENTS;

/** Names of every object a WooCommerce store creates (the shared ones included). */
export const OBJECT_NAMES = {
  ...SHARED_NAMES,
  dbSecret: 'mysql-credentials',
  adminSecret: 'wordpress-admin',
  saltsSecret: 'wordpress-salts',
  smtpSecret: 'smtp-credentials',
  mysql: 'mysql',
  wordpress: 'wordpress',
  wpContentClaim: 'wp-content',
  apacheConfig: 'wordpress-apache',
  mysqlConfig: 'mysql-config',
  scriptsConfig: 'store-scripts',
  setupJob: 'store-setup',
  storeCheckJob: 'store-check',
  cronJob: 'wp-cron',
  ingress: 'wordpress',
  tlsSecret: 'wordpress-tls',
  resetPasswordJob: 'reset-admin-password',
  policyWordPress: 'wordpress',
  policyMySql: 'mysql',
  policySetup: 'store-setup',
  policyDbClients: 'db-clients',
  policyStoreCheck: 'store-check',
  policyCron: 'wp-cron',
} as const;

/** Name of the WordPress administrator account the setup job creates. */
export const ADMIN_USERNAME = 'admin';

/**
 * Billing address of the store check's test order: a reserved `.invalid` domain (RFC 2606) no
 * shopper can have, so the check deletes only the orders it placed.
 */
export const CHECK_ORDER_EMAIL = 'store-check@store-platform.invalid';

/** Slug and SKU of the published sample product the store check requires (virtual: it needs no shipping method). */
export const SAMPLE_PRODUCT = { slug: 'store-platform-sample', sku: 'SP-SAMPLE-1', name: 'Sample product', price: '19.00' } as const;

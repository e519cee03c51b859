import { randomBytes } from 'node:crypto';
import { engineOf, type Engine, type StoreSecrets } from '../../constructs/index.js';

/** URL-safe random string carrying `bytes` bytes of entropy (no quoting issues in env or shell). */
function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Fresh secrets for a new store, shaped by its engine (WooCommerce: 192-bit passwords and 384-bit
 * WordPress keys and salts; Medusa: 192-bit passwords and 384-bit JWT and cookie secrets). The only
 * place store secrets are drawn; constructs receive them as props.
 */
export function generateStoreSecrets(engine: Engine = 'woocommerce'): StoreSecrets {
  return engineOf(engine).generateSecrets(token);
}

/** A new administrator password (for password resets). */
export function generateAdminPassword(): string {
  return token(24);
}

/** A new restic repository password for a store's backups (256 bits). */
export function generateBackupPassword(): string {
  return token(32);
}

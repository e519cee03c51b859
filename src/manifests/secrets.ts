import { randomBytes } from 'node:crypto';
import { SALT_CONSTANTS, type StoreSecrets, type WordPressSalts } from '../../constructs/index.js';

/** URL-safe random string carrying `bytes` bytes of entropy (no quoting issues in env or shell). */
function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Fresh secrets for a new store: 192-bit passwords and 384-bit WordPress keys and salts.
 * The only place store secrets are generated; constructs receive them as props.
 */
export function generateStoreSecrets(): StoreSecrets {
  const salts = Object.fromEntries(Object.keys(SALT_CONSTANTS).map((k) => [k, token(48)])) as unknown as WordPressSalts;
  return { dbRootPassword: token(24), dbPassword: token(24), adminPassword: token(24), salts };
}

/** A new administrator password (for password resets). */
export function generateAdminPassword(): string {
  return token(24);
}

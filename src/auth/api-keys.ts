import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRole } from '../db/schema.js';
import type { ApiKeysRepo } from '../db/repos/api-keys-repo.js';

export type { ApiKeyRole };

/** Who made a request: the key's id (never the key), its role and its owner (null for platform admins). */
export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly ownerId: string | null;
}

/** An owner or viewer key belongs to an owner; an admin key to none. */
export function ownerOfRole(role: ApiKeyRole, ownerId: string | null | undefined): string | null {
  if (role === 'admin') {
    if (ownerId) throw new Error('an admin key belongs to no owner');
    return null;
  }
  if (!ownerId) throw new Error(`a ${role} key needs an owner`);
  return ownerId;
}

/** Id of the admin key that comes from STORE_PLATFORM_ADMIN_KEY(_FILE). */
export const BOOTSTRAP_KEY_ID = 'bootstrap-admin';

// Keys look like `sp_<id>_<secret>`: the id finds the row, the hash of the whole key is compared
// in constant time. Keys of any other shape (an operator-chosen bootstrap key) map to the bootstrap row.
const KEY_SHAPE = /^sp_([a-z0-9]{12})_[A-Za-z0-9_-]{43}$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function newId(): string {
  const bytes = randomBytes(12);
  return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/** Makes a new key and stores its hash; the returned `key` is shown once and never stored. */
export function createApiKey(
  repo: ApiKeysRepo,
  opts: { role: ApiKeyRole; name: string; ownerId?: string | null; now?: Date },
): { id: string; key: string; role: ApiKeyRole; name: string; ownerId: string | null } {
  const id = newId();
  const key = `sp_${id}_${randomBytes(32).toString('base64url')}`;
  const ownerId = ownerOfRole(opts.role, opts.ownerId);
  repo.insert({ id, name: opts.name, role: opts.role, ownerId, hash: hashKey(key), now: opts.now ?? new Date() });
  return { id, key, role: opts.role, name: opts.name, ownerId };
}

/** Stores (or updates) the hash of the configured bootstrap admin key. */
export function bootstrapAdminKey(repo: ApiKeysRepo, key: string, now = new Date()): void {
  repo.upsert({ id: BOOTSTRAP_KEY_ID, name: 'bootstrap admin (STORE_PLATFORM_ADMIN_KEY)', role: 'admin', hash: hashKey(key), now });
}

/** The principal for a presented key, or undefined for an unknown, revoked or wrong key. */
export function verifyApiKey(repo: ApiKeysRepo, presented: string): Principal | undefined {
  if (presented.length === 0 || presented.length > 512) return undefined;
  const match = KEY_SHAPE.exec(presented);
  const row = repo.findActive(match?.[1] ?? BOOTSTRAP_KEY_ID);
  // hash even when there is no row, so a miss costs the same as a wrong secret
  const actual = Buffer.from(hashKey(presented), 'hex');
  const expected = Buffer.from(row?.hash ?? hashKey(`no-such-key:${presented}`), 'hex');
  if (!timingSafeEqual(actual, expected) || row === undefined) return undefined;
  return { keyId: row.id, name: row.name, role: row.role, ownerId: row.ownerId };
}

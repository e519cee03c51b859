import {
  ADMIN_SECRET_KEYS, MANAGED_BY_LABEL, OBJECT_NAMES, STORE_ID_LABEL, StoreSpec, namespaceFor,
  storeLabels, storeUrl, synthesizeStore, type PlatformSettings, type StoreSecrets,
} from '../../constructs/index.js';
import { generateStoreSecrets } from '../manifests/secrets.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import type { DesiredState, StoreIdentity } from './reconcile.js';

// The one bridge between a stored row and the pure constructs.

/** The spec a row was created from (the row holds every spec field, never a secret). */
export function specOf(row: StoreRow): StoreSpec {
  return StoreSpec.parse({
    name: row.slug, engine: row.engine, plan: row.plan, adminEmail: row.adminEmail, title: row.title,
    currency: row.currency, ...(row.customDomain ? { customDomain: row.customDomain } : {}),
  });
}

/** Labels whose presence proves an object is this store's: the store id and the platform as manager. */
export function ownerLabels(slug: string): Record<string, string> {
  const all = storeLabels(slug);
  return { [STORE_ID_LABEL]: all[STORE_ID_LABEL]!, [MANAGED_BY_LABEL]: all[MANAGED_BY_LABEL]! };
}

export function identityOf(row: Pick<StoreRow, 'slug'>): StoreIdentity {
  return { namespace: namespaceFor(row.slug), owner: ownerLabels(row.slug) };
}

/**
 * Desired state for a row. Fresh secrets are drawn every time, but Secrets are only ever created, never
 * rewritten: the values of the first provisioning stay, and these are dropped unused.
 */
export function desiredStateOf(row: StoreRow, platform: PlatformSettings, secrets: StoreSecrets = generateStoreSecrets()): DesiredState {
  return { ...identityOf(row), steps: synthesizeStore({ spec: specOf(row), secrets, platform }) };
}

/** URLs recorded on the row at creation. */
export function urlsOf(spec: StoreSpec, platform: PlatformSettings): { storeUrl: string; adminUrl: string } {
  const url = storeUrl(spec, platform);
  return { storeUrl: url, adminUrl: `${url}/wp-admin/` };
}

export { ADMIN_SECRET_KEYS, OBJECT_NAMES };

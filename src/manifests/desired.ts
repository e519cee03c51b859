import {
  MANAGED_BY_LABEL, STORE_ID_LABEL, engineOf, namespaceFor, parseSpec, platformForRelease, planTable, storeIngressOf, storeLabels, storeUrl, synthesizeMaintenance, synthesizeStore,
  type EngineComponent, type EngineDefinition, type Plan, type PlatformSettings, type StoreSecrets, type StoreSpec, type SynthesizedStep,
} from '../../constructs/index.js';
import type { StoreRow } from '../db/repos/stores-repo.js';
import { generateStoreSecrets } from './secrets.js';

// The one bridge between a stored row and the pure constructs.

/** The store's identity only: enough to find or delete it without synthesizing anything. */
export interface StoreIdentity {
  readonly namespace: string;
  /** Labels that prove an object belongs to this store (never adopt anything without them). */
  readonly owner: Readonly<Record<string, string>>;
}

/** What the engine needs to know about a store's desired state. */
export interface DesiredState extends StoreIdentity {
  readonly steps: readonly SynthesizedStep[];
}

/** The spec a row was created from (the row holds every spec field, never a secret). */
export function specOf(row: StoreRow): StoreSpec {
  return parseSpec({
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
export function desiredStateOf(row: StoreRow, platform: PlatformSettings, secrets: StoreSecrets = generateStoreSecrets(specOf(row).engine)): DesiredState {
  return {
    ...identityOf(row),
    steps: synthesizeStore({ spec: specOf(row), secrets, platform: platformOfRow(row, platform), ownerId: row.ownerId, ...(row.databaseServer ? { databaseServer: row.databaseServer } : {}) }),
  };
}

/** The release a row runs: the catalogue release it records, or its engine's base release (recorded as null). */
export function releaseOfRow(row: Pick<StoreRow, 'engine' | 'release'>, platform: PlatformSettings): string {
  return row.release ?? engineOfRow(row).versioning.baseVersion(platform);
}

/**
 * What a row records for a store on `version`: null for the engine's base release, so a store on it
 * follows the platform's images when the operator bumps them (the base release's name changes with
 * them), and the version itself for a release of the catalogue.
 */
export function recordedRelease(engine: string, version: string, platform: PlatformSettings): string | null {
  return version === engineOf(engine).versioning.baseVersion(platform) ? null : version;
}

/** The platform as the row's release sees it (its images and packages). Throws for a release the catalogue no longer has. */
export function platformOfRow(row: Pick<StoreRow, 'engine' | 'release'>, platform: PlatformSettings): PlatformSettings {
  return platformForRelease(platform, row.engine, engineOfRow(row).versioning, releaseOfRow(row, platform));
}

/** The maintenance page of a suspended store: its responder, then its own Ingress re-pointed at it. */
export function maintenanceOf(row: Pick<StoreRow, 'slug' | 'title'>, desired: DesiredState, platform: PlatformSettings): SynthesizedStep[] {
  return synthesizeMaintenance({ slug: row.slug, title: row.title, ingress: storeIngressOf(desired.steps), platform });
}

/** The engine a row was created with. */
export function engineOfRow(row: Pick<StoreRow, 'engine'>): EngineDefinition {
  return engineOf(row.engine);
}

/** The workloads a store runs, by component name (its engine's, for its plan). */
export function componentsOfRow(row: Pick<StoreRow, 'engine' | 'plan'>): Readonly<Record<string, EngineComponent>> {
  return engineOfRow(row).components(planTable[row.plan as Plan]);
}

/** URLs recorded on the row at creation. */
export function urlsOf(spec: StoreSpec, platform: PlatformSettings): { storeUrl: string; adminUrl: string } {
  const url = storeUrl(spec, platform);
  return { storeUrl: url, adminUrl: `${url}${engineOf(spec.engine).admin.path}` };
}

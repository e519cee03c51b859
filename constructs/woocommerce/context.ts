import type { DatabaseEngine } from '../images.js';
import type { PlanSpec } from '../plans.js';
import type { PlatformSettings, StoreSecrets, StoreSpec } from '../spec.js';

/** Everything a step construct needs to know about its store, derived once by the store construct. */
export interface StoreContext {
  /** The store's slug (= spec.name). */
  readonly slug: string;
  /** `store-<slug>`. */
  readonly namespace: string;
  readonly spec: StoreSpec;
  readonly secrets: StoreSecrets;
  readonly platform: PlatformSettings;
  readonly plan: PlanSpec;
  /** Host the store is served on. */
  readonly host: string;
  /** `http(s)://<host>`. */
  readonly url: string;
  /** The database server family the store runs (kept from its creation). */
  readonly databaseServer: DatabaseEngine;
}

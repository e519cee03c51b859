import type { MedusaSizing, PlanSpec } from '../plans.js';
import type { PlatformSettings, SigningSecrets, StoreSecrets, StoreSpec } from '../spec.js';

/** Everything a Medusa step needs to know about its store, derived once by {@link MedusaStore}. */
export interface MedusaContext {
  /** The store's slug (= spec.name). */
  readonly slug: string;
  /** `store-<slug>`. */
  readonly namespace: string;
  readonly spec: StoreSpec;
  readonly secrets: StoreSecrets & { readonly signing: SigningSecrets };
  readonly platform: PlatformSettings;
  readonly plan: PlanSpec;
  /** The plan's Medusa sizing. */
  readonly sizing: MedusaSizing;
  /** Host the store is served on. */
  readonly host: string;
  /** `http(s)://<host>`. */
  readonly url: string;
}

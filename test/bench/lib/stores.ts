import { defaultConfig, platformSettings } from '../../../src/config.js';
import { generateStoreSecrets } from '../../../src/manifests/secrets.js';
import { planTable, storeHost, type Plan, type PlanSpec, type PlatformSettings, type StoreSecrets, type StoreSpec } from '../../../constructs/index.js';

/** The platform settings the platform process runs with (its default configuration). */
export function benchPlatform(): PlatformSettings {
  return platformSettings(defaultConfig());
}

/** A valid spec for a benchmark store; names are unique per run, plans rotate. */
export function benchSpec(name: string, plan: Plan = 'standard'): StoreSpec {
  return { name, engine: 'woocommerce', plan, adminEmail: `owner@${name}.example.com`, title: `Bench store ${name}`, currency: 'USD' };
}

/** Secrets as the platform draws them (crypto.randomBytes). */
export function benchSecrets(): StoreSecrets {
  return generateStoreSecrets();
}

/** Values of the equivalent Helm chart (test/bench/fixtures/store-chart) for one store. */
export interface ChartValues {
  readonly slug: string;
  readonly host: string;
  readonly title: string;
  readonly adminEmail: string;
  readonly currency: string;
  readonly secrets: StoreSecrets;
  readonly plan: PlanSpec;
}

/** What an operator using the chart writes into the store's values file. */
export function chartValues(spec: StoreSpec, secrets: StoreSecrets, platform: PlatformSettings): ChartValues {
  return {
    slug: spec.name,
    host: storeHost(spec, platform),
    title: spec.title,
    adminEmail: spec.adminEmail,
    currency: spec.currency,
    secrets,
    plan: planTable[spec.plan],
  };
}

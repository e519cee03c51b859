/**
 * Public surface of the store constructs: the spec schema, the engine registry, the pure synth
 * function and the names and labels other modules select objects by.
 */
export type { KubeObject, ReadinessRule, SynthesizedStep } from './readiness.js';
export {
  StoreSpec,
  ENGINES,
  SALT_CONSTANTS,
  DEFAULT_IMAGES,
  DEFAULT_PLATFORM_SETTINGS,
  storeHost,
  storeUrl,
  type Engine,
  type PlatformSettings,
  type StoreAddress,
  type StoreImages,
  type StoreSecrets,
  type WordPressSalts,
} from './spec.js';
export { PLANS, planTable, type Plan, type PlanSpec, type ContainerResources, type ComputeAmount, type QuotaSpec, type LimitRangeSpec } from './plans.js';
export {
  COMPONENT_LABEL,
  DB_CLIENT_LABEL,
  INSTANCE_LABEL,
  LABEL_DOMAIN,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  NAME_LABEL,
  POD_SECURITY_ENFORCE_LABEL,
  STORE_ID_LABEL,
  componentLabels,
  componentSelector,
  storeLabels,
} from './labels.js';
export { ADMIN_USERNAME, OBJECT_NAMES, SAMPLE_PRODUCT, STORE_COMPONENTS, namespaceFor, type StoreComponent } from './names.js';
export { ADMIN_SECRET_KEYS, DB_SECRET_KEYS, WORDPRESS_DB } from './secrets.js';
export { POD_SECURITY_LEVEL } from './pods.js';
export { engines, engineAvailable, synthesizeStore, type EngineDefinition } from './engines.js';
export { WooCommerceStore, planProblems, parseSpec, type StoreProps } from './store.js';
export { StoreStep, collectSteps, type StoreStepProps } from './step.js';
export { buildResetPasswordJob, type ResetPasswordJobOptions } from './reset-password.js';

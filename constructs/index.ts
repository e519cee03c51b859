/**
 * Public surface of the store constructs: the spec schema, the engine registry, the pure synth
 * function and the names and labels other modules select objects by.
 */
export type { KubeObject, ReadinessRule, SynthesizedStep } from './readiness.js';
export {
  StoreSpec,
  ENGINES,
  SALT_CONSTANTS,
  DEFAULT_PLATFORM_SETTINGS,
  parseSpec,
  storeHost,
  storeUrl,
  customDomainViolation,
  DEFAULT_RESERVED_HOSTS,
  DEFAULT_DNS_PEERS,
  type DnsPeers,
  MAIL_TLS_MODES,
  type MailRelay,
  type MailStatus,
  type MailTls,
  CreateStoreSpec,
  defaultTitle,
  reservedNamespaceViolation,
  DEFAULT_RESERVED_NAMESPACES,
  type HostPolicy,
  type Engine,
  type PlatformSettings,
  type StoreAddress,
  type StoreSecrets,
  type WordPressSalts,
} from './spec.js';
export { DATABASE_IMAGES, DEFAULT_BACKUP_IMAGE, DEFAULT_DATABASE_ENGINE, DEFAULT_IMAGES, OPERATOR_BUILT_IMAGES, imagesWithoutDigest, isDigestPinned, type DatabaseEngine, type StoreImages } from './images.js';
export {
  catalogueProblems, currentRelease, imageVersion, platformForRelease, releasesOf, upgradeProblem,
  type EngineRelease, type EngineReleaseCatalogue, type EngineVersioning, type ReleaseCatalogue,
} from './releases.js';
export { PLANS, planTable, EPHEMERAL_STORAGE, MAINTENANCE_RESOURCES, type Plan, type PlanSpec, type ContainerResources, type ComputeAmount, type EphemeralStorage, type QuotaSpec, type LimitRangeSpec } from './plans.js';
export {
  COMPONENT_LABEL,
  DB_CLIENT_LABEL,
  INSTANCE_LABEL,
  LABEL_DOMAIN,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  NAME_LABEL,
  OWNER_LABEL,
  POD_SECURITY_ENFORCE_LABEL,
  STORE_ID_LABEL,
  componentLabels,
  componentSelector,
  storeLabels,
} from './labels.js';
export { SHARED_NAMES, namespaceFor } from './names.js';
export { POD_SECURITY_LEVEL } from './pods.js';
export { engines, engineAvailable, engineOf, synthesizeStore } from './engines.js';
export type {
  EngineAdmin, EngineComponent, EngineDefinition, RandomToken, ResetPasswordJobOptions, StoreProps,
} from './engine.js';
export { StoreStep, collectSteps, type StoreStepProps } from './step.js';
export {
  DEFAULT_RETRY_AFTER_SECONDS, MAINTENANCE_NAMES, MAINTENANCE_PORT, MAINTENANCE_SERVICE_PORT, MaintenancePage, MaintenanceResponder,
  maintenanceResponse, storeIngressOf, synthesizeMaintenance, type MaintenancePageProps, type StoreIngressRef,
} from './maintenance.js';
// the WooCommerce engine's names and constructs, for its tests and the runtime's WooCommerce-only paths
export {
  ADMIN_SECRET_KEYS, ADMIN_USERNAME, DB_SECRET_KEYS, OBJECT_NAMES, SAMPLE_PRODUCT, STORE_COMPONENTS, WORDPRESS_DB,
  WooCommerceStore, buildResetPasswordJob, planProblems, woocommerce, type StoreComponent,
} from './woocommerce/index.js';
export {
  BACKUP_JOB_DEADLINE_SECONDS,
  backupCredentialsSecret,
  backupRepositorySecret,
  backupSourceSecret,
  type BackupAction,
  type BackupRunOptions,
  type EngineBackup,
  type EngineBackupPod,
} from './backup/jobs.js';
export { BACKUP_INTERVAL_HOURS, BACKUP_LABEL, BACKUP_NAMES, BACKUP_SECRET_KEYS, RETENTION, assertBackupId, assertTarget, repositoryUrl, type BackupEgress, type BackupTarget } from './backup/target.js';

import type { Construct } from 'constructs';
import type { EngineBackup } from './backup/jobs.js';
import type { PlanSpec } from './plans.js';
import type { EngineVersioning } from './releases.js';
import type { KubeObject } from './readiness.js';
import type { MailStatus, PlatformSettings, StoreSecrets, StoreSpec } from './spec.js';

/** Props every engine's store construct takes: what the merchant asked for, its secrets and the platform. */
export interface StoreProps {
  readonly spec: StoreSpec;
  readonly secrets: StoreSecrets;
  readonly platform: PlatformSettings;
  /**
   * The store's owner; the engine hands it to its namespace step, which labels the namespace with it.
   * @default - no owner label
   */
  readonly ownerId?: string;
  /**
   * The database server family the store was created with (its row keeps it), for an engine that offers
   * a choice ({@link EngineDefinition.database}).
   * @default - the family a new store gets
   */
  readonly databaseServer?: string;
}

/** An engine whose stores pick a database server family at creation and keep it for life. */
export interface EngineDatabase {
  /** The family a new store gets on this platform. */
  readonly forNewStore: (platform: PlatformSettings) => string;
  /** The workload running the server: its image tells the family of a store created before it was recorded. */
  readonly workload: EngineComponent;
  /** The family of a server image. */
  readonly ofImage: (image: string) => string;
}

/** A workload the operator can restart and read logs from. */
export interface EngineComponent {
  readonly kind: 'Deployment' | 'StatefulSet';
  /** Name of the workload and of its pods' `app.kubernetes.io/name` label. */
  readonly name: string;
  /** The container whose logs are shown. */
  readonly container: string;
}

/** Where the store's administrator signs in, and the Secret holding the credentials. */
export interface EngineAdmin {
  /** Path of the admin UI under the store URL, e.g. `/wp-admin/`. */
  readonly path: string;
  /** What the merchant calls the account, e.g. `WordPress administrator`. */
  readonly title: string;
  readonly secretName: string;
  readonly usernameKey: string;
  /** The key a password reset rewrites. */
  readonly passwordKey: string;
}

/** Options of an engine's password-reset Job. */
export interface ResetPasswordJobOptions {
  /** The store (for its plan and URL). */
  readonly spec: Pick<StoreSpec, 'name' | 'plan' | 'customDomain'>;
  readonly platform: PlatformSettings;
  /**
   * Job name; give each reset its own (e.g. with a counter) or delete the previous Job first.
   * @default - the engine's reset Job name
   */
  readonly jobName?: string;
}

/** `n` bytes of entropy as URL-safe text; drawn by the caller (constructs never draw random numbers). */
export type RandomToken = (bytes: number) => string;

/**
 * Everything the runtime asks of an engine. Adding an engine is one folder under `constructs/`
 * exporting one of these, one entry in the registry (`engines.ts`) and its plans.
 */
export interface EngineDefinition {
  readonly title: string;
  /** Builds the engine's construct tree; its StoreStep children are the provisioning steps, in order. */
  readonly build: (scope: Construct, id: string, props: StoreProps) => Construct;
  /** Fresh secrets for a new store, from the caller's random source. */
  readonly generateSecrets: (random: RandomToken) => StoreSecrets;
  /** Workloads for restart and logs, by component name: every Deployment and StatefulSet the plan runs. */
  readonly components: (plan: PlanSpec) => Readonly<Record<string, EngineComponent>>;
  readonly admin: EngineAdmin;
  /** Name prefix of the engine's reset Jobs (older ones are cleaned up after a reset). */
  readonly resetJobPrefix: string;
  /** The one-off Job that applies the password in the admin Secret. Pure. */
  readonly resetPasswordJob: (slug: string, options: ResetPasswordJobOptions) => KubeObject;
  /** Problems with a plan row for this engine's pods (empty when the plan fits). */
  readonly planProblems: (plan: PlanSpec) => string[];
  /** The step that proves the store can take an order; Ready means it passed. */
  readonly checkStep: string;
  /**
   * Steps run again after another store's backup is restored into this one (a clone): they bring what
   * the data holds of the other store (its URLs, its settings) to this store's. The engine's admin
   * password is applied after them.
   */
  readonly adoptSteps: readonly string[];
  /** The store's backup and restore runs (its own scripts, into a restic repository per store). Pure. */
  readonly backup: EngineBackup;
  /**
   * The engine's versions (constructs/releases.ts): the base version the platform's images make and the
   * images a release may change. An upgrade re-runs the Jobs of every step (the setup Job migrates the
   * data to the new version), then the check.
   */
  readonly versioning: EngineVersioning;
  /** Whether and how the engine's stores send mail on this platform, for their health. Pure. */
  readonly mailStatus: (platform: Pick<PlatformSettings, 'mail'>) => MailStatus;
  /** A choice of database server, kept per store. @default - one server, no choice */
  readonly database?: EngineDatabase;
}

import type { PlatformSettings, SynthesizedStep } from '../../constructs/index.js';
import type { DesiredState, StoreIdentity } from '../manifests/desired.js';
import type { Logger } from '../logger.js';
import type { BackupsRepo } from '../db/repos/backups-repo.js';
import type { EventsRepo } from '../db/repos/events-repo.js';
import type { StoreRow, StoresRepo } from '../db/repos/stores-repo.js';
import type { CallOptions, KubeClients, OnRetry, RetryPolicy } from '../k8s/index.js';
import type { Timeline } from './timeline.js';
import type { StatusWriter } from './transition.js';

export interface ReconcilerOptions {
  readonly retry: RetryPolicy;
  /** Overrides every step's own timeout when set. */
  readonly stepTimeoutSeconds?: number;
  /** Per-step overrides by step name (wins over stepTimeoutSeconds). */
  readonly stepTimeouts?: Readonly<Record<string, number>>;
  /** How long deleting a namespace may take before the store is marked Failed. */
  readonly deleteTimeoutSeconds: number;
}

/** What the phases (provision, teardown) work with. */
export interface ReconcilerDeps {
  readonly stores: StoresRepo;
  readonly events: EventsRepo;
  /** Backups: a delete waits for the store's final backup. */
  readonly backups: BackupsRepo;
  readonly timeline: Timeline;
  readonly status: StatusWriter;
  readonly kube: KubeClients;
  readonly log: Logger;
  readonly options: ReconcilerOptions;
  /** The platform's settings (what a new store gets). */
  readonly platform: PlatformSettings;
  /** Desired state for a row; throws on a spec the constructs refuse. */
  readonly desired: (row: StoreRow) => DesiredState;
  readonly identity: (row: StoreRow) => StoreIdentity;
  /** The maintenance page a suspended store serves (responder, then its Ingress re-pointed), from its desired state. */
  readonly maintenance: (row: StoreRow, desired: DesiredState) => readonly SynthesizedStep[];
  /**
   * Hands a provisioned store made from a backup to its first restore instead of Ready (Restoring);
   * false when the store is not made from one or holds it already.
   */
  readonly seedFromBackup: (row: StoreRow) => boolean;
  /** A failed upgrade's rollback hands the store, back on its old release, to the restore of its pre-upgrade backup (Restoring). */
  readonly rollbackRestore: (row: StoreRow, backupId: string, reason: string) => boolean;
  /** The clock a soft-deleted store's purge time is read against (a test seam). */
  readonly now: () => Date;
}

/** One run of a phase for one store. */
export interface PhaseRun {
  readonly signal: AbortSignal;
  /** The store was re-queued by crash recovery: its first run says so on the timeline. */
  readonly recovered: boolean;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Call options whose retries land on the store's timeline under `step`. */
export function timelineCall(d: ReconcilerDeps, id: string, step: string, signal: AbortSignal, log?: Logger): CallOptions {
  const onRetry: OnRetry = (err, n, delayMs) => {
    d.timeline.retrying(id, step, err.message, { attempt: n, delayMs });
    log?.warn({ reason: err.reason, status: err.status, attempt: n, delayMs }, 'Transient Kubernetes error, retrying');
  };
  return { policy: d.options.retry, signal, onRetry };
}

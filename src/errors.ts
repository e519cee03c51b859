import { problemOf, type ErrorCode } from './error-catalogue.js';

/**
 * Runtime errors with a stable `code` (the API contract) and the HTTP status they map to.
 * The one error handler (src/http/plugins/error-handler.ts) turns them into RFC 9457 problem+json
 * whose `type` is derived from `code`.
 */
export abstract class AppError extends Error {
  /** The API contract: a key of the error catalogue, which gives the status and title. */
  public abstract readonly code: ErrorCode;
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }

  /** HTTP status on the platform's API (from the catalogue). */
  public get statusCode(): number {
    return problemOf(this.code).status;
  }

  /** Short, stable summary for the problem's `title` (from the catalogue). */
  public get title(): string {
    return problemOf(this.code).title;
  }
}

export class NotFoundError extends AppError {
  public readonly code = 'NOT_FOUND';
}

export class StoreNameTakenError extends AppError {
  public readonly code = 'STORE_NAME_TAKEN';
}

/** A live store is already served on the host (its custom domain or default host). */
export class HostTakenError extends AppError {
  public readonly code = 'HOST_TAKEN';
}

/** The custom domain is the base domain, under it, the platform's host or a reserved name. */
export class DomainNotAllowedError extends AppError {
  public readonly code = 'DOMAIN_NOT_ALLOWED';
}

/** The store's namespace `store-<name>` would be one the platform or the cluster uses. */
export class StoreNameReservedError extends AppError {
  public readonly code = 'STORE_NAME_RESERVED';
}

/** A status change the store's lifecycle does not allow (e.g. retrying a Ready store). */
export class IllegalTransitionError extends AppError {
  public readonly code = 'ILLEGAL_TRANSITION';
}

/** An upgrade to a release the catalogue lacks or reaches by no path from the store's release. */
export class VersionNotAllowedError extends AppError {
  public readonly code = 'VERSION_NOT_ALLOWED';
}

/** A rollout would take stores another open (Running, Paused or Halted) rollout holds. */
export class RolloutConflictError extends AppError {
  public readonly code = 'ROLLOUT_CONFLICT';
}

/** A rollout whose selector picks no store that can be upgraded. */
export class NoStoresSelectedError extends AppError {
  public readonly code = 'NO_STORES_SELECTED';
}

/** Someone else updated the row between our read and our write. */
export class StaleWriteError extends AppError {
  public readonly code = 'STALE_WRITE';
}

export class EngineUnavailableError extends AppError {
  public readonly code = 'ENGINE_UNAVAILABLE';
}

export class StoreLimitReachedError extends AppError {
  public readonly code = 'STORE_LIMIT_REACHED';
}

/** The owner's plan allowance excludes the plan asked for. */
export class PlanNotAllowedError extends AppError {
  public readonly code = 'PLAN_NOT_ALLOWED';
}

/** The owner's engine allowance excludes the engine asked for. */
export class EngineNotAllowedError extends AppError {
  public readonly code = 'ENGINE_NOT_ALLOWED';
}

/** The owner's live-store or quota limit would be exceeded. */
export class OwnerLimitReachedError extends AppError {
  public readonly code = 'OWNER_LIMIT_REACHED';
}

/** An owner with this id exists already. */
export class OwnerExistsError extends AppError {
  public readonly code = 'OWNER_EXISTS';
}

/** The owner still has live stores (delete them first). */
export class OwnerInUseError extends AppError {
  public readonly code = 'OWNER_IN_USE';
}

/** BACKUP_S3_ENDPOINT is unset: the platform takes no backups. */
export class BackupsNotConfiguredError extends AppError {
  public readonly code = 'BACKUPS_NOT_CONFIGURED';
}

/** A backup or restore of a store that is not Ready. */
export class StoreNotReadyError extends AppError {
  public readonly code = 'STORE_NOT_READY';
}

/** The store already has a backup or restore Pending or Running. */
export class BackupInProgressError extends AppError {
  public readonly code = 'BACKUP_IN_PROGRESS';
}

export class BackupNotFoundError extends AppError {
  public readonly code = 'BACKUP_NOT_FOUND';
}

/** The backup failed or is not finished: nothing to restore. */
export class BackupNotRestorableError extends AppError {
  public readonly code = 'BACKUP_NOT_RESTORABLE';
}

export class BackupOfAnotherStoreError extends AppError {
  public readonly code = 'BACKUP_OF_ANOTHER_STORE';
}

export class BackupEngineMismatchError extends AppError {
  public readonly code = 'BACKUP_ENGINE_MISMATCH';
}

/**
 * Runtime errors with a stable `code` (the API contract) and the HTTP status they map to.
 * The one error handler (src/http/plugins/error-handler.ts) turns them into RFC 9457 problem+json
 * whose `type` is derived from `code`.
 */
export abstract class AppError extends Error {
  public abstract readonly code: string;
  public abstract readonly statusCode: number;
  /** Short, stable summary for the problem's `title`. */
  public abstract readonly title: string;
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  public readonly code = 'NOT_FOUND';
  public readonly statusCode = 404;
  public readonly title = 'Not found';
}

export class StoreNameTakenError extends AppError {
  public readonly code = 'STORE_NAME_TAKEN';
  public readonly statusCode = 409;
  public readonly title = 'Store name taken';
}

/** A status change the store's lifecycle does not allow (e.g. retrying a Ready store). */
export class IllegalTransitionError extends AppError {
  public readonly code = 'ILLEGAL_TRANSITION';
  public readonly statusCode = 409;
  public readonly title = 'Not allowed in the current status';
}

/** Someone else updated the row between our read and our write. */
export class StaleWriteError extends AppError {
  public readonly code = 'STALE_WRITE';
  public readonly statusCode = 409;
  public readonly title = 'Concurrent update';
}

export class EngineUnavailableError extends AppError {
  public readonly code = 'ENGINE_UNAVAILABLE';
  public readonly statusCode = 422;
  public readonly title = 'Engine not available yet';
}

export class StoreLimitReachedError extends AppError {
  public readonly code = 'STORE_LIMIT_REACHED';
  public readonly statusCode = 403;
  public readonly title = 'Store limit reached';
}

export class KubernetesUnavailableError extends AppError {
  public readonly code = 'KUBERNETES_UNAVAILABLE';
  public readonly statusCode = 503;
  public readonly title = 'Kubernetes API unavailable';
}

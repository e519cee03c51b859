import { AppError } from '../errors.js';

// HTTP-layer errors; the shared ones (NotFoundError, StoreNameTakenError, ...) live in src/errors.ts.

export class UnauthorizedError extends AppError {
  public readonly code = 'UNAUTHORIZED';
}

export class ForbiddenError extends AppError {
  public readonly code = 'FORBIDDEN';
}

export class IdempotencyKeyReusedError extends AppError {
  public readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

export class IdempotencyKeyInFlightError extends AppError {
  public readonly code = 'IDEMPOTENCY_KEY_IN_FLIGHT';
}

export class RateLimitedError extends AppError {
  public readonly code = 'RATE_LIMITED';
}

/** An admin creating an owner's key without naming the owner (X-Owner). */
export class OwnerRequiredError extends AppError {
  public readonly code = 'OWNER_REQUIRED';
}

/** A body on a route that takes none. */
export class BodyNotAllowedError extends AppError {
  public readonly code = 'BODY_NOT_ALLOWED';
}

/** Bad percent-encoding, a dot segment or a NUL in the path. */
export class InvalidPathError extends AppError {
  public readonly code = 'INVALID_PATH';
}

export class UriTooLongError extends AppError {
  public readonly code = 'URI_TOO_LONG';
}

/** A body in a media type the route does not parse. */
export class UnsupportedMediaTypeError extends AppError {
  public readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** SSE_MAX_STREAMS_PER_KEY or SSE_MAX_STREAMS open event streams. */
export class StreamLimitReachedError extends AppError {
  public readonly code = 'STREAM_LIMIT_REACHED';
}

import { AppError } from '../errors.js';

// HTTP-layer errors; the shared ones (NotFoundError, StoreNameTakenError, ...) live in src/errors.ts.

export class UnauthorizedError extends AppError {
  public readonly code = 'UNAUTHORIZED';
  public readonly statusCode = 401;
  public readonly title = 'Authentication required';
}

export class ForbiddenError extends AppError {
  public readonly code = 'FORBIDDEN';
  public readonly statusCode = 403;
  public readonly title = 'Not allowed for this key';
}

export class IdempotencyKeyReusedError extends AppError {
  public readonly code = 'IDEMPOTENCY_KEY_REUSED';
  public readonly statusCode = 422;
  public readonly title = 'Idempotency-Key reused with a different request';
}

export class IdempotencyKeyInFlightError extends AppError {
  public readonly code = 'IDEMPOTENCY_KEY_IN_FLIGHT';
  public readonly statusCode = 409;
  public readonly title = 'A request with this Idempotency-Key is still being processed';
}

export class RateLimitedError extends AppError {
  public readonly code = 'RATE_LIMITED';
  public readonly statusCode = 429;
  public readonly title = 'Too many requests';
}

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

/**
 * Every error code the platform answers with: its HTTP status(es) and problem title. AppError
 * subclasses and the error handler take both from here; test/unit/http/error-catalogue.test.ts checks
 * the README's error table against it. `documented: false` marks codes the table leaves out on purpose.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { statuses: [400], title: 'Invalid request' },
  INVALID_JSON: { statuses: [400], title: 'Bad request' },
  INVALID_CURSOR: { statuses: [400], title: 'Invalid cursor' },
  UNKNOWN_COMPONENT: { statuses: [400], title: 'Unknown component' },
  OWNER_REQUIRED: { statuses: [400], title: 'Name the owner (X-Owner)' },
  /** A route that takes no body got one (refused before it is read). */
  BODY_NOT_ALLOWED: { statuses: [400], title: 'This route takes no request body' },
  /** Bad percent-encoding, a `.` or `..` segment, or a NUL in the path. */
  INVALID_PATH: { statuses: [400], title: 'Malformed request path' },
  BAD_REQUEST: { statuses: [400], title: 'Bad request', documented: false },
  UNAUTHORIZED: { statuses: [401], title: 'Authentication required' },
  FORBIDDEN: { statuses: [403], title: 'Not allowed for this key' },
  STORE_LIMIT_REACHED: { statuses: [403], title: 'Store limit reached' },
  OWNER_LIMIT_REACHED: { statuses: [403], title: 'Owner limit reached' },
  PLAN_NOT_ALLOWED: { statuses: [403], title: 'Plan not allowed for this owner' },
  ENGINE_NOT_ALLOWED: { statuses: [403], title: 'Engine not allowed for this owner' },
  NOT_FOUND: { statuses: [404], title: 'Not found' },
  ROUTE_NOT_FOUND: { statuses: [404], title: 'Not found' },
  BACKUP_NOT_FOUND: { statuses: [404], title: 'Backup not found' },
  STORE_NAME_TAKEN: { statuses: [409], title: 'Store name taken' },
  HOST_TAKEN: { statuses: [409], title: 'Host already served by another store' },
  OWNER_EXISTS: { statuses: [409], title: 'Owner exists' },
  OWNER_IN_USE: { statuses: [409], title: 'Owner still has stores' },
  ILLEGAL_TRANSITION: { statuses: [409], title: 'Not allowed in the current status' },
  /** The release is not in the catalogue, or the catalogue has no upgrade path to it from the store's release. */
  VERSION_NOT_ALLOWED: { statuses: [409], title: 'Version not allowed' },
  /** The rollout's stores overlap an open (Running, Paused or Halted) rollout's. */
  ROLLOUT_CONFLICT: { statuses: [409], title: 'Stores are in another rollout' },
  /** The rollout's selector picks no store that is not already on the release. */
  NO_STORES_SELECTED: { statuses: [409], title: 'No store to roll out to' },
  IDEMPOTENCY_KEY_IN_FLIGHT: { statuses: [409], title: 'A request with this Idempotency-Key is still being processed' },
  /** No backup target is configured (BACKUP_S3_ENDPOINT unset). */
  BACKUPS_NOT_CONFIGURED: { statuses: [409], title: 'Backups are not configured' },
  /** Backups and restores need a Ready store. */
  STORE_NOT_READY: { statuses: [409], title: 'Store is not Ready' },
  /** The store already runs a backup or a restore. */
  BACKUP_IN_PROGRESS: { statuses: [409], title: 'A backup or restore of this store is running' },
  /** The backup did not succeed (or has not yet): it cannot be restored. */
  BACKUP_NOT_RESTORABLE: { statuses: [409], title: 'Backup cannot be restored' },
  /** Two writers raced on one row; the loser retries. */
  STALE_WRITE: { statuses: [409], title: 'Concurrent update', documented: false },
  /** Provisioning only: an object of the same name belongs to someone else (recorded on the timeline). */
  FOREIGN_OBJECT: { statuses: [409], title: 'Object owned by someone else', documented: false },
  /** The request (headers and body) did not arrive within HTTP_REQUEST_TIMEOUT_SECONDS. */
  REQUEST_TIMEOUT: { statuses: [408], title: 'Request not received in time' },
  /** Dashboard files only: If-Match or If-Unmodified-Since did not hold. */
  PRECONDITION_FAILED: { statuses: [412], title: 'Precondition failed' },
  BODY_TOO_LARGE: { statuses: [413], title: 'Request body too large' },
  URI_TOO_LONG: { statuses: [414], title: 'URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { statuses: [415], title: 'Unsupported media type' },
  /** Dashboard files only: a Range outside the file. */
  RANGE_NOT_SATISFIABLE: { statuses: [416], title: 'Range not satisfiable' },
  ENGINE_UNAVAILABLE: { statuses: [422], title: 'Engine not available yet' },
  DOMAIN_NOT_ALLOWED: { statuses: [422], title: 'Custom domain not allowed' },
  /** The store's namespace would be one the platform or the cluster uses. */
  STORE_NAME_RESERVED: { statuses: [422], title: 'Store name reserved' },
  IDEMPOTENCY_KEY_REUSED: { statuses: [422], title: 'Idempotency-Key reused with a different request' },
  /** A restore names a backup of another store (clone is a separate operation). */
  BACKUP_OF_ANOTHER_STORE: { statuses: [422], title: 'Backup belongs to another store' },
  BACKUP_ENGINE_MISMATCH: { statuses: [422], title: 'Backup is of another engine' },
  RATE_LIMITED: { statuses: [429], title: 'Too many requests' },
  /** SSE_MAX_STREAMS_PER_KEY or SSE_MAX_STREAMS open event streams. */
  STREAM_LIMIT_REACHED: { statuses: [429], title: 'Too many open event streams' },
  /** The request line and headers are over the server's limit (16 KiB). */
  HEADERS_TOO_LARGE: { statuses: [431], title: 'Request headers too large' },
  /** 5xx problems carry no detail; the log has it. */
  INTERNAL: { statuses: [500], title: 'Internal server error', documented: false },
  STORE_SECRET_INCOMPLETE: { statuses: [500], title: 'Store secret incomplete', documented: false },
  /** Provisioning only (timeline and status reason). */
  STEP_FAILED: { statuses: [500], title: 'Provisioning step failed', documented: false },
  STEP_TIMEOUT: { statuses: [504], title: 'Provisioning step timed out', documented: false },
  /** 502 when the API server refused, 503 when it is unreachable (transient). */
  KUBERNETES_API_ERROR: { statuses: [502, 503], title: 'Kubernetes API request failed' },
  UNAVAILABLE: { statuses: [503], title: 'Service unavailable', documented: false },
} as const satisfies Record<string, { readonly statuses: readonly number[]; readonly title: string; readonly documented?: false }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Status and title of a code (the first status when it has two). */
export function problemOf(code: ErrorCode): { status: number; title: string } {
  const e = ERROR_CATALOGUE[code];
  return { status: e.statuses[0], title: e.title };
}

import { z } from 'zod';

/** RFC 9457 problem details, as every error leaves the server. */
export const Problem = z
  .object({
    type: z.string().describe('URI identifying the kind of problem: https://store-platform.dev/problems/<code in kebab-case>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().describe('The request path'),
    code: z.string().describe('Stable machine-readable code, SCREAMING_SNAKE'),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ in: z.string(), path: z.string(), message: z.string() }))
      .optional()
      .describe('Validation issues, one per bad field'),
  })
  .meta({ id: 'Problem' });
export type ProblemBody = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const problemText: Record<number, string> = {
  400: 'Invalid request (validation errors listed in `errors`)',
  401: 'Missing or invalid API key',
  403: 'The key\'s role does not allow this, or a platform limit was reached',
  404: 'No such store',
  409: 'Conflict with the current state',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Semantically invalid request',
  429: 'Rate limit exceeded; see Retry-After',
  500: 'Internal error',
  502: 'The Kubernetes API server refused the request',
  503: 'The Kubernetes API server is unavailable',
};

/** Problem responses for the given statuses, documented with their real content type. */
export function problems(...statuses: number[]): Record<number, { description: string; content: Record<string, { schema: typeof Problem }> }> {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: problemText[s] ?? 'Problem', content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } }]),
  );
}

/** Statuses any authenticated /api/v1 route can answer with. */
export const AUTH_PROBLEMS = [400, 401, 429, 500] as const;

export const Cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from a previous page')
  .describe('Opaque cursor from `nextCursor` of the previous page');
/** An integer query parameter. Unlike a bare z.coerce.number(), an empty value (`?n=`) is an error, not 0. */
export function queryInt(min: number, max: number) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? Number.NaN : v), z.coerce.number().int().min(min).max(max));
}

export const Limit = queryInt(1, 200).default(50);

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { problemOf, type ErrorCode } from '../../error-catalogue.js';
import { AppError } from '../../errors.js';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from '../schemas/common.js';

/** Problem `type` URIs are absolute and stable: https://store-platform.dev/problems/<code in kebab-case>. */
export const PROBLEM_TYPE_BASE = 'https://store-platform.dev/problems/';

export function problemType(code: string): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

// Fastify's own 4xx errors get stable codes of our own (their FST_ERR_* names are an implementation detail).
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

type ProblemInit = Omit<ProblemBody, 'type' | 'instance' | 'requestId'>;

/** A problem for a catalogue code: status and title come from the catalogue. */
export function catalogued(code: ErrorCode, extra: Pick<ProblemInit, 'detail' | 'errors'> = {}): ProblemInit {
  return { ...problemOf(code), code, ...extra };
}

/** Sends an RFC 9457 problem. The body is pre-serialized so no route schema can turn it into a 500. */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, p: ProblemInit): FastifyReply {
  const body: ProblemBody = {
    type: problemType(p.code),
    title: p.title,
    status: p.status,
    ...(p.detail !== undefined ? { detail: p.detail } : {}),
    instance: req.url.split('?')[0],
    code: p.code,
    requestId: req.id,
    ...(p.errors !== undefined ? { errors: p.errors } : {}),
  };
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

function validationErrors(err: { validation: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] }, where: string) {
  return err.validation.flatMap((v) => {
    if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys)) {
      const base = v.instancePath === '/' ? '' : v.instancePath;
      return (v.params.keys as unknown[]).map((k) => ({ in: where, path: `${base}/${String(k)}`, message: 'unknown field' }));
    }
    return [{ in: where, path: v.instancePath, message: v.message ?? v.keyword }];
  });
}

/** The one mapping from errors to problem+json. 5xx details stay in the log. */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (err instanceof AppError) {
        if (err.statusCode >= 500) req.log.error({ err }, 'Request failed');
        const detail = err.statusCode >= 500 ? undefined : err.message;
        return sendProblem(req, reply, { status: err.statusCode, code: err.code, title: err.title, ...(detail ? { detail } : {}) });
      }
      if (hasZodFastifySchemaValidationErrors(err)) {
        const where = (err as { validationContext?: string }).validationContext ?? 'body';
        const errors = validationErrors(err, where);
        return sendProblem(req, reply, catalogued('VALIDATION_FAILED', {
          detail: `${errors.length} invalid field${errors.length === 1 ? '' : 's'} in ${where}: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`,
          errors,
        }));
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, issues: err.cause.issues }, 'Response does not match its schema');
        return sendProblem(req, reply, catalogued('INTERNAL'));
      }
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
      if (status >= 500) {
        req.log.error({ err }, 'Request failed with unhandled error');
        return sendProblem(req, reply, { ...catalogued(status === 503 ? 'UNAVAILABLE' : 'INTERNAL'), status });
      }
      const code = FASTIFY_CODES[err.code] ?? (status === 413 ? 'BODY_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST');
      // the status stays Fastify's (e.g. 405, 406 are BAD_REQUEST with their own status and title)
      return sendProblem(req, reply, { code, status, title: status === problemOf(code).status ? problemOf(code).title : TITLES[status] ?? 'Bad request', detail: err.message });
    });
  },
  { name: 'error-handler' },
);

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

// Fastify's own 4xx errors get stable codes of our own (their FST_ERR_* names are an implementation detail).
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

// Other 4xx errors of Fastify and its plugins (@fastify/static's 412 and 416) by status; any other is a 400.
const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  404: 'ROUTE_NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  412: 'PRECONDITION_FAILED',
  413: 'BODY_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

type ProblemInit = Omit<ProblemBody, 'type' | 'instance' | 'requestId'>;

/** A problem for a catalogue code: status and title come from the catalogue. */
export function catalogued(code: ErrorCode, extra: Pick<ProblemInit, 'detail' | 'errors'> = {}): ProblemInit {
  return { ...problemOf(code), code, ...extra };
}

/** The problem for a request no route serves. */
export function routeNotFound(req: FastifyRequest): ProblemInit {
  return catalogued('ROUTE_NOT_FOUND', { detail: `no route ${req.method} ${req.url.split('?')[0] ?? '/'}` });
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
      // every code answers with its catalogue status, so a client can switch on either
      return sendProblem(req, reply, catalogued(FASTIFY_CODES[err.code] ?? BY_STATUS[status] ?? 'BAD_REQUEST', { detail: err.message }));
    });
  },
  { name: 'error-handler' },
);

/**
 * Fastify's `frameworkErrors`: errors the router raises before any hook runs (so the request id is
 * set here): bad percent-encoding in the path and a path segment over the router's limit.
 */
export function frameworkErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', req.id);
  if (req.raw.complete === false) reply.header('connection', 'close'); // its body was never going to be read
  if (err.code === 'FST_ERR_BAD_URL') {
    sendProblem(req, reply, catalogued('INVALID_PATH', { detail: 'the path is not valid percent-encoding' }));
  } else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendProblem(req, reply, catalogued('URI_TOO_LONG', { detail: 'a path segment is over the limit' }));
  } else {
    req.log.error({ err }, 'Request failed before routing');
    sendProblem(req, reply, catalogued('INTERNAL'));
  }
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser and timers refuse before there is a request
 * (malformed HTTP, headers over 16 KiB, a request not received within HTTP_REQUEST_TIMEOUT_SECONDS),
 * answered as a problem on the raw socket, which is then closed.
 */
export function clientErrorHandler(requestTimeoutSeconds: number) {
  return function onClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [code, detail]: [ErrorCode, string] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? ['REQUEST_TIMEOUT', `the request was not received within ${requestTimeoutSeconds} s`]
        : err.code === 'HPE_HEADER_OVERFLOW' ? ['HEADERS_TOO_LARGE', 'the request line and headers are over 16 KiB']
          : ['BAD_REQUEST', 'malformed HTTP request'];
    this.log.debug({ err }, 'Client error');
    const { status, title } = problemOf(code);
    const body = JSON.stringify({ type: problemType(code), title, status, detail, code });
    // never write into a response that has started (Node's own rule for this event)
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (socket.writable && inFlight?.headersSent !== true) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(err);
  };
}

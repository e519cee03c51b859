import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BodyNotAllowedError, InvalidPathError, UnsupportedMediaTypeError, UriTooLongError } from '../errors.js';
import { catalogued, routeNotFound, sendProblem } from './error-handler.js';

/** Longest URL (path and query) the API serves; a longer one is 414 before any route runs. */
export const MAX_URL_LENGTH = 8192;

/** Whether the request says a body follows (a `Content-Length: 0` body is none). */
function declaresBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) !== 0);
}

/** Why a path is malformed, or undefined: bad percent-encoding, a `.` or `..` segment (also encoded), a NUL. */
export function pathProblem(path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'the path is not valid percent-encoding';
  }
  if (decoded.includes('\0')) return 'the path holds a NUL character';
  // `%2F` and `\` separate segments too, for the file server and for proxies that normalise
  if (decoded.split(/[/\\]/).some((s) => s === '.' || s === '..')) return 'the path has a "." or ".." segment';
  return undefined;
}

const takesBody = (req: FastifyRequest): boolean => !req.is404 && req.routeOptions.schema?.body !== undefined;

/**
 * What is refused before any route runs, at onRequest (before a body is read): any request once the
 * server is closing (503, in place of Fastify's own bare answer), an overlong URL
 * (URI_TOO_LONG), a malformed path (INVALID_PATH), and a body on a route that takes none
 * (BODY_NOT_ALLOWED; on an unknown route, its 404). With authentication at onRequest too, only an
 * authenticated request to a route that takes a body has its body read. An empty body is no body,
 * whatever its content type. Any answer sent while the request's body is still arriving closes the
 * connection, so a client cannot hold a socket by trickling a body it was refused for.
 */
export default fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (closing) return sendProblem(req, reply, catalogued('UNAVAILABLE', { detail: 'the server is shutting down; retry' }));
      if (req.url.length > MAX_URL_LENGTH) throw new UriTooLongError(`the URL is over ${MAX_URL_LENGTH} characters`);
      const bad = pathProblem(req.url.split('?')[0] ?? '/');
      if (bad !== undefined) throw new InvalidPathError(bad);
      if (!declaresBody(req) || takesBody(req)) return undefined;
      if (req.is404) return sendProblem(req, reply, routeNotFound(req));
      throw new BodyNotAllowedError(`${req.method} ${req.routeOptions.url ?? req.url} takes no request body; send none (Content-Length: 0 is fine)`);
    });

    app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.raw.complete === false) reply.header('connection', 'close');
    });

    // an empty JSON body is no body: routes that take none accept it, the others fail validation
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      if (body === '') {
        done(null, undefined);
        return;
      }
      json(req, body as string, done);
    });
    // any other media type: empty on a route that takes no body (onRequest refused the rest), else 415
    app.addContentTypeParser('*', (req, _payload, done) => {
      if (takesBody(req)) {
        done(new UnsupportedMediaTypeError(`send the body as application/json, not ${req.headers['content-type'] ?? 'without a Content-Type'}`), undefined);
        return;
      }
      done(null, undefined);
    });
  },
  { name: 'request-guard', dependencies: ['error-handler'] },
);

import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { verifyApiKey, type ApiKeyRole, type Principal } from '../../auth/api-keys.js';
import type { ApiKeysRepo } from '../../db/repos/api-keys-repo.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on /api/v1 routes. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** onRequest hook: a valid Bearer key, with the role the route needs (admin for mutations). */
    authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyContextConfig {
    /** Role a route needs; default: viewer for GET/HEAD, admin otherwise. */
    role?: ApiKeyRole;
  }
}

export interface AuthPluginOptions {
  readonly apiKeys: ApiKeysRepo;
  readonly now: () => Date;
}

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

export default fp<AuthPluginOptions>(
  async (app, opts) => {
    app.decorateRequest('principal', null);
    // lastUsedAt is written at most once a minute per key, not on every request
    const touched = new Map<string, number>();
    app.decorate('authenticate', async (req: FastifyRequest) => {
      const header = req.headers.authorization;
      const match = header === undefined ? null : BEARER.exec(header);
      if (match === null) {
        throw new UnauthorizedError(header === undefined ? 'send the header Authorization: Bearer <api key>' : 'the Authorization header must be `Bearer <api key>`');
      }
      const principal = verifyApiKey(opts.apiKeys, match[1]!);
      if (principal === undefined) throw new UnauthorizedError('the API key is unknown or revoked');
      req.principal = principal;
      const nowMs = opts.now().getTime();
      if ((touched.get(principal.keyId) ?? 0) < nowMs - 60_000) {
        touched.set(principal.keyId, nowMs);
        opts.apiKeys.touch(principal.keyId, new Date(nowMs));
      }
      const needed = req.routeOptions.config.role ?? (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'admin');
      if (needed === 'admin' && principal.role !== 'admin') {
        throw new ForbiddenError(`this operation needs an admin key; key '${principal.keyId}' is a ${principal.role} key`);
      }
    });
  },
  { name: 'auth' },
);

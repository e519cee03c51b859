import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { verifyApiKey, type ApiKeyRole, type Principal } from '../../auth/api-keys.js';
import type { ApiKeysRepo } from '../../db/repos/api-keys-repo.js';
import type { OwnersRepo } from '../../db/repos/owners-repo.js';
import { NotFoundError } from '../../errors.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on /api/v1 routes. */
    principal: Principal | null;
    /**
     * The owner this request is confined to: an owner or viewer key's own owner, or the owner a platform
     * admin acts for (`X-Owner`). Undefined only for an admin acting for nobody: it sees every owner.
     */
    ownerScope: string | undefined;
  }
  interface FastifyInstance {
    /** onRequest hook: a valid Bearer key, with the role the route needs, and the request's owner scope. */
    authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyContextConfig {
    /** Role a route needs; default: viewer for GET/HEAD, owner otherwise. `admin` is the platform's. */
    role?: ApiKeyRole;
  }
}

export interface AuthPluginOptions {
  readonly apiKeys: ApiKeysRepo;
  readonly owners: OwnersRepo;
  readonly now: () => Date;
}

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;
/** The header a platform admin names the owner it acts for with. */
export const ACT_FOR_OWNER_HEADER = 'x-owner';
const RANK: Readonly<Record<ApiKeyRole, number>> = { viewer: 0, owner: 1, admin: 2 };

/** The owner a request is confined to (see `ownerScope`); throws for an owner key naming another owner. */
function scopeOf(principal: Principal, header: string | string[] | undefined, owners: OwnersRepo): string | undefined {
  const asked = typeof header === 'string' && header.length > 0 ? header : undefined;
  if (principal.role !== 'admin') {
    if (asked !== undefined && asked !== principal.ownerId) {
      throw new ForbiddenError(`only platform admin keys may act for another owner (${ACT_FOR_OWNER_HEADER})`);
    }
    return principal.ownerId ?? undefined;
  }
  if (asked === undefined) return undefined;
  if (owners.find(asked) === undefined) throw new NotFoundError(`owner '${asked}' does not exist`);
  return asked;
}

export default fp<AuthPluginOptions>(
  async (app, opts) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('ownerScope', undefined);
    // lastUsedAt is written at most once a minute per key, not on every request
    const touched = new Map<string, number>();
    app.decorate('authenticate', async (req: FastifyRequest) => {
      const header = req.headers.authorization;
      const match = header === undefined ? null : BEARER.exec(header);
      if (match === null) {
        throw new UnauthorizedError(header === undefined ? 'send the header Authorization: Bearer <api key>' : 'the Authorization header must be `Bearer <api key>`');
      }
      const principal = verifyApiKey(opts.apiKeys, match[1]!);
      // an owner or viewer key whose owner is gone is no key at all
      if (principal === undefined || (principal.role !== 'admin' && principal.ownerId === null)) {
        throw new UnauthorizedError('the API key is unknown or revoked');
      }
      req.principal = principal;
      const nowMs = opts.now().getTime();
      if ((touched.get(principal.keyId) ?? 0) < nowMs - 60_000) {
        touched.set(principal.keyId, nowMs);
        opts.apiKeys.touch(principal.keyId, new Date(nowMs));
      }
      const needed = req.routeOptions.config.role ?? (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'owner');
      if (RANK[principal.role] < RANK[needed]) {
        throw new ForbiddenError(`this operation needs an ${needed} key; key '${principal.keyId}' is a ${principal.role} key`);
      }
      req.ownerScope = scopeOf(principal, req.headers[ACT_FOR_OWNER_HEADER], opts.owners);
    });
  },
  { name: 'auth' },
);

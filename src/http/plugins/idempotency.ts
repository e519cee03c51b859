import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { IdempotencyRepo } from '../../db/repos/idempotency-repo.js';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from '../errors.js';

/** How a route replays a stored response: the headers to send again and the audit target. */
export interface IdempotencyRouteConfig {
  replay(body: unknown): { readonly target: string; readonly owner?: string; readonly headers: Readonly<Record<string, string>> };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Retry-safe route: an `Idempotency-Key` header replays the first 2xx answer of the same key and body. */
    idempotency?: IdempotencyRouteConfig;
  }
  interface FastifyRequest {
    /** True when the answer is a stored one (the audit log records it as `replay`). */
    idempotentReplay: boolean;
  }
}

export interface IdempotencyPluginOptions {
  readonly repo: IdempotencyRepo;
  readonly now: () => Date;
  /** How long a stored answer is replayed. @default 24 hours */
  readonly ttlMs?: number;
}

/** The header schema idempotent routes declare (so it is validated and documented). */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII')
    .optional()
    .describe('Retry-safe creation: the same key and body return the first response; another body gets 422'),
});

const DAY_MS = 24 * 3600_000;
/** Expired keys are swept at most this often, on a save. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Keys are per caller (the API key, and the owner an admin acts for), so one caller can never replay
 * another's answer, nor an admin one owner's answer for another owner.
 */
const actorOf = (req: FastifyRequest): string => {
  const key = req.principal?.keyId ?? 'anonymous';
  return req.principal?.role === 'admin' && req.ownerScope !== undefined ? `${key}@${req.ownerScope}` : key;
};

/**
 * Idempotency-Key for routes that set `config.idempotency`: after validation the key is looked up; a
 * stored answer for the same body is sent again (no handler runs), another body is 422, and a key whose
 * first request is still running is 409. A 2xx answer is stored; expired ones are deleted.
 */
export default fp<IdempotencyPluginOptions>(
  async (app, opts) => {
    const ttlMs = opts.ttlMs ?? DAY_MS;
    const inFlight = new Set<string>();
    const claims = new WeakMap<FastifyRequest, { flightKey: string; key: string; hash: string }>();
    let lastSweep = 0;
    app.decorateRequest('idempotentReplay', false);

    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      const route = req.routeOptions.config.idempotency;
      const key = req.headers['idempotency-key'];
      if (route === undefined || typeof key !== 'string') return;
      const actor = actorOf(req);
      const hash = createHash('sha256').update(JSON.stringify(req.body)).digest('hex');
      const stored = opts.repo.find(actor, key);
      if (stored !== undefined && stored.createdAt.getTime() > opts.now().getTime() - ttlMs) {
        if (stored.requestHash !== hash) throw new IdempotencyKeyReusedError(`Idempotency-Key '${key}' was first used with a different request body`);
        const { target, owner, headers } = route.replay(stored.response);
        req.idempotentReplay = true;
        req.auditTarget = target;
        if (owner !== undefined) req.auditOwner = owner;
        return reply.code(stored.statusCode).headers({ ...headers, 'idempotent-replayed': 'true' }).send(stored.response);
      }
      const flightKey = `${actor}\n${key}`;
      if (inFlight.has(flightKey)) throw new IdempotencyKeyInFlightError(`retry once the first request with Idempotency-Key '${key}' has finished`);
      inFlight.add(flightKey);
      claims.set(req, { flightKey, key, hash });
    });

    app.addHook('preSerialization', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const claim = claims.get(req);
      if (claim === undefined || reply.statusCode >= 300) return payload;
      const now = opts.now();
      opts.repo.save(actorOf(req), claim.key, { requestHash: claim.hash, statusCode: reply.statusCode, response: payload }, now);
      if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now.getTime();
        opts.repo.deleteOlderThan(new Date(now.getTime() - ttlMs));
      }
      return payload;
    });

    const release = async (req: FastifyRequest): Promise<void> => {
      const claim = claims.get(req);
      if (claim !== undefined) inFlight.delete(claim.flightKey);
    };
    app.addHook('onResponse', release);
    app.addHook('onRequestAbort', release);
  },
  { name: 'idempotency', dependencies: ['auth'] },
);

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
    /**
     * Set on a retry-safe request that carries an Idempotency-Key: stores its answer. A route calls it
     * inside the transaction that makes the change, so a crash can never keep the one without the
     * other (the answer actually sent replaces it afterwards).
     */
    recordIdempotentAnswer: ((statusCode: number, response: unknown) => void) | undefined;
  }
}

export interface IdempotencyPluginOptions {
  readonly repo: IdempotencyRepo;
  readonly now: () => Date;
  /** How long a stored answer is replayed; older ones are purged. */
  readonly retentionMs: number;
  /** How often expired answers are purged (and once at start). @default 10 minutes */
  readonly purgeEveryMs?: number;
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

/**
 * JSON with every object's keys sorted, so one request sent with its keys in another order hashes alike.
 * Undefined members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

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
 * stored answer for the same body (compared as canonical JSON of the validated body) is sent again (no
 * handler runs), another body is 422, and a key whose first request is still running is 409. A 2xx
 * answer is stored (in the route's own transaction when it calls `recordIdempotentAnswer`); answers
 * older than the retention are never replayed and are purged at start and every `purgeEveryMs`.
 */
export default fp<IdempotencyPluginOptions>(
  async (app, opts) => {
    const ttlMs = opts.retentionMs;
    const inFlight = new Set<string>();
    const claims = new WeakMap<FastifyRequest, { flightKey: string; key: string; hash: string; recorded: boolean }>();
    app.decorateRequest('idempotentReplay', false);
    app.decorateRequest('recordIdempotentAnswer', undefined);

    const purge = (): void => {
      const purged = opts.repo.deleteOlderThan(new Date(opts.now().getTime() - ttlMs));
      if (purged > 0) app.log.debug({ purged }, 'Purged expired Idempotency-Keys');
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      purge();
      timer = setInterval(purge, opts.purgeEveryMs ?? 10 * 60_000);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));

    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      const route = req.routeOptions.config.idempotency;
      const key = req.headers['idempotency-key'];
      if (route === undefined || typeof key !== 'string') return;
      const actor = actorOf(req);
      const hash = createHash('sha256').update(canonicalJson(req.body)).digest('hex');
      let stored = opts.repo.find(actor, key);
      if (stored !== undefined && stored.createdAt.getTime() <= opts.now().getTime() - ttlMs) {
        opts.repo.delete(actor, key); // expired: the key starts afresh
        stored = undefined;
      }
      if (stored !== undefined) {
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
      const claim = { flightKey, key, hash, recorded: false };
      claims.set(req, claim);
      req.recordIdempotentAnswer = (statusCode, response) => {
        opts.repo.save(actor, key, { requestHash: hash, statusCode, response }, opts.now());
        claim.recorded = true;
      };
    });

    app.addHook('preSerialization', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const claim = claims.get(req);
      if (claim === undefined || reply.statusCode >= 300) return payload;
      const answer = { requestHash: claim.hash, statusCode: reply.statusCode, response: payload };
      if (claim.recorded) opts.repo.replaceAnswer(actorOf(req), claim.key, answer);
      else opts.repo.save(actorOf(req), claim.key, answer, opts.now());
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

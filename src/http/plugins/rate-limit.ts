import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { RateLimitedError } from '../errors.js';

export interface RateLimitPluginOptions {
  /** Requests per minute, per API key (per IP when anonymous), for each group. */
  readonly createPerMinute: number;
  readonly mutationPerMinute: number;
  readonly readPerMinute: number;
}

export type RateGroup = 'create' | 'mutation' | 'read';

/** POST /api/v1/stores is `create`; any other non-GET is `mutation`; everything else `read`. */
export function rateGroupOf(req: FastifyRequest): RateGroup {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return 'read';
  return req.method === 'POST' && req.routeOptions.url === '/api/v1/stores' ? 'create' : 'mutation';
}

// One limiter for the whole app: the key is "<who>|<group>", so each group has its own bucket per caller.
// It runs at preValidation, after authentication (onRequest), so a key is limited as itself
// and requests with invalid bodies still count.
export default fp<RateLimitPluginOptions>(
  async (app, opts) => {
    const max: Record<RateGroup, number> = { create: opts.createPerMinute, mutation: opts.mutationPerMinute, read: opts.readPerMinute };
    await app.register(rateLimit, {
      global: true,
      hook: 'preValidation',
      timeWindow: 60_000,
      max: (req) => max[rateGroupOf(req)],
      keyGenerator: (req) => `${req.principal ? `key:${req.principal.keyId}` : `ip:${req.ip}`}|${rateGroupOf(req)}`,
      errorResponseBuilder: (req, ctx) =>
        new RateLimitedError(`more than ${ctx.max} ${rateGroupOf(req)} requests per minute; retry in ${ctx.after}`),
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);

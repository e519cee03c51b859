import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReadinessPort } from '../ports.js';
import type { Queries } from '../queries.js';

export interface SystemRoutesOptions {
  readonly queries: Queries;
  readonly readiness: ReadinessPort;
}

const Readiness = z
  .object({
    status: z.enum(['ready', 'not-ready']),
    checks: z.object({ database: z.string(), kubernetes: z.string() }),
  })
  .meta({ id: 'Readiness' });

/**
 * The API server gets this long to say it is ready (its own /readyz, which fails while etcd is away):
 * under the chart's probe timeout (3 s), so a hung API server turns the probe red rather than timing it out.
 */
const KUBE_PING_TIMEOUT_MS = 2_500;

async function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** Probes outside /api/v1; no authentication and no rate limit. */
const systemRoutes: FastifyPluginAsyncZod<SystemRoutesOptions> = async (app, opts) => {
  app.get(
    '/healthz',
    {
      schema: { tags: ['system'], summary: 'The process is up', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
      config: { rateLimit: false },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['system'],
        summary: 'The database is reachable and the Kubernetes API server ready (etcd included)',
        security: [],
        response: { 200: Readiness, 503: Readiness },
      },
      config: { rateLimit: false },
    },
    async (req, reply) => {
      let database = 'ok';
      let kubernetes = 'ok';
      try {
        opts.queries.ping();
      } catch (err) {
        database = 'unreachable';
        req.log.warn({ err }, 'Readiness: database check failed');
      }
      try {
        // the port aborts its own request at the timeout; the race also bounds a port that does not
        await withTimeout(opts.readiness.pingKubernetes(KUBE_PING_TIMEOUT_MS), KUBE_PING_TIMEOUT_MS + 250);
      } catch (err) {
        kubernetes = 'unreachable';
        req.log.warn({ err }, 'Readiness: Kubernetes API check failed');
      }
      const ok = database === 'ok' && kubernetes === 'ok';
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks: { database, kubernetes } });
    },
  );
};

export default systemRoutes;

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformSettings, type Config } from './config.js';
import type { Db } from './db/client.js';
import { ApiKeysRepo } from './db/repos/api-keys-repo.js';
import { IdempotencyRepo } from './db/repos/idempotency-repo.js';
import { OwnersRepo } from './db/repos/owners-repo.js';
import type { Logger } from './logger.js';
import audit from './http/plugins/audit.js';
import auth from './http/plugins/auth.js';
import errorHandler, { clientErrorHandler, frameworkErrorHandler, routeNotFound, sendProblem } from './http/plugins/error-handler.js';
import idempotency from './http/plugins/idempotency.js';
import metrics from './http/plugins/metrics.js';
import rateLimit from './http/plugins/rate-limit.js';
import requestGuard, { MAX_URL_LENGTH } from './http/plugins/request-guard.js';
import swagger from './http/plugins/swagger.js';
import type { AuditPort, ProvisionerPort, ReadinessPort } from './http/ports.js';
import { Queries } from './http/queries.js';
import { responseSerializer } from './http/serializer.js';
import enginesRoutes from './http/routes/engines.js';
import rolloutsRoutes from './http/routes/rollouts.js';
import meRoutes from './http/routes/me.js';
import auditRoutes from './http/routes/audit.js';
import backupsRoutes from './http/routes/backups.js';
import keysRoutes from './http/routes/keys.js';
import ownersRoutes from './http/routes/owners.js';
import storeEventsRoutes from './http/routes/store-events.js';
import storeOperationsRoutes from './http/routes/store-operations.js';
import storesRoutes from './http/routes/stores.js';
import systemRoutes from './http/routes/system.js';
import type { SseStream } from './http/sse.js';

export interface AppDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  readonly provisioner: ProvisionerPort;
  readonly readiness: ReadinessPort;
  readonly audit: AuditPort;
  /** Requests the platform has sent to the Kubernetes API server, by HTTP method (for /metrics). */
  readonly kubeRequestCounts?: () => Readonly<Record<string, number>>;
  /** Whether each kind's watch is up (readiness waits poll while one is down), for /metrics. */
  readonly kubeWatches?: () => Readonly<Record<string, boolean>>;
  /** Built dashboard to serve at `/`; nothing is served there when undefined or missing. */
  readonly webDir?: string;
  readonly version: string;
  readonly now?: () => Date;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the HTTP app without listening and without reading the environment. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // a slow client is cut: the headers, then the whole request must arrive in time (408), an idle
    // keep-alive connection closes, and so does one silent both ways (a password reset waits 300 s)
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    connectionTimeout: config.HTTP_CONNECTION_TIMEOUT_SECONDS * 1000,
    http: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      // how often Node checks those two (default 30 s, which would let a slow client keep 30 s more)
      connectionsCheckingInterval: 1000,
    },
    clientErrorHandler: clientErrorHandler(config.HTTP_REQUEST_TIMEOUT_SECONDS),
    frameworkErrors: frameworkErrorHandler,
    // an overlong path parameter reaches validation (a 400 problem); an overlong URL is 414 (request-guard)
    routerOptions: { maxParamLength: MAX_URL_LENGTH },
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // accept a caller's request id only when it is harmless to log and echo
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // answered by request-guard instead, as a problem like every other refusal
    return503OnClosing: false,
    trustProxy: config.TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer);

  const queries = new Queries(deps.db);
  const streams = new Set<SseStream>();

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // SSE responses never end by themselves: end them so close() does not wait on them
  app.addHook('preClose', async () => {
    for (const s of streams) s.close();
  });

  await app.register(errorHandler);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI and the dashboard set inline style attributes; no inline script is allowed
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // after helmet, so what it refuses carries the security headers too; before authentication
  await app.register(requestGuard);
  const apiKeys = new ApiKeysRepo(deps.db);
  const owners = new OwnersRepo(deps.db);
  await app.register(auth, { apiKeys, owners, now });
  await app.register(rateLimit, {
    createPerMinute: config.RATE_LIMIT_CREATE_PER_MINUTE,
    mutationPerMinute: config.RATE_LIMIT_MUTATION_PER_MINUTE,
    readPerMinute: config.RATE_LIMIT_READ_PER_MINUTE,
  });
  await app.register(swagger, { version: deps.version });
  await app.register(metrics, {
    provisioner: deps.provisioner, queries, owners,
    ...(deps.kubeRequestCounts ? { kubeRequestCounts: deps.kubeRequestCounts } : {}),
    ...(deps.kubeWatches ? { kubeWatches: deps.kubeWatches } : {}),
  });
  await app.register(systemRoutes, { queries, readiness: deps.readiness });

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (req, reply) => {
        const id = (req.params as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') {
          req.log = req.log.child({ storeId: id });
          reply.log = req.log; // so "request completed" carries the store id too
        }
      });
      api.addHook('onRequest', api.authenticate);
      // retry-safe creates, then every mutation (and every credentials read) on the audit log
      await api.register(idempotency, { repo: new IdempotencyRepo(deps.db), now, retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3600_000 });
      await api.register(audit, { audit: deps.audit });
      await api.register(meRoutes, { owners });
      await api.register(enginesRoutes, { platform: platformSettings(config) });
      const routeOpts = { config, provisioner: deps.provisioner, queries, now, streams };
      await api.register(storesRoutes, routeOpts);
      await api.register(storeEventsRoutes, routeOpts);
      await api.register(storeOperationsRoutes, routeOpts);
      await api.register(backupsRoutes, routeOpts);
      await api.register(rolloutsRoutes, routeOpts);
      await api.register(auditRoutes, { queries });
      await api.register(ownersRoutes, { owners, now });
      await api.register(keysRoutes, { apiKeys, now });
    },
    { prefix: '/api/v1' },
  );

  const webDir = deps.webDir !== undefined && existsSync(deps.webDir) ? deps.webDir : undefined;
  if (webDir !== undefined) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: true, schemaHide: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    // single-page app: client-side routes get index.html; API paths keep their JSON 404
    const isApi = /^\/(api|docs|metrics|healthz|readyz|openapi\.json)(\/|$)/.test(path);
    if (webDir !== undefined && !isApi && (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html')) {
      return reply.sendFile('index.html');
    }
    return sendProblem(req, reply, routeNotFound(req));
  });

  return app;
}

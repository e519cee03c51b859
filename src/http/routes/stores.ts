import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { engineAvailable } from '../../../constructs/index.js';
import type { Config } from '../../config.js';
import type { IdempotencyRepo } from '../../db/repos/idempotency-repo.js';
import { EngineUnavailableError, NotFoundError, StoreLimitReachedError } from '../../errors.js';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from '../errors.js';
import type { ProvisionerPort, StoreRow } from '../ports.js';
import type { Queries } from '../queries.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import {
  AdminCredentials,
  AuditList,
  AuditQuery,
  CreateStoreBody,
  EventList,
  EventsQuery,
  ListStoresQuery,
  LogsQuery,
  PasswordReset,
  RestartBody,
  RestartResult,
  StoreHealth,
  StoreIdParams,
  StoreList,
  StoreLogs,
  StoreView,
  UpdateStoreBody,
} from '../schemas/stores.js';
import { openSse, type SseStream } from '../sse.js';
import { auditView, eventView, storeView } from '../views.js';

export interface StoresRoutesOptions {
  readonly config: Config;
  readonly provisioner: ProvisionerPort;
  readonly queries: Queries;
  readonly idempotency: IdempotencyRepo;
  readonly now: () => Date;
  /** Open SSE streams; the app ends them on close. */
  readonly streams: Set<SseStream>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Audit action recorded for this route (every mutation has one). */
    audit?: string;
  }
  interface FastifyRequest {
    /** Audit target when it is not the :id parameter (e.g. the id of a store just created). */
    auditTarget?: string;
  }
}

const TERMINAL = new Set(['Ready', 'Failed', 'Deleted']);
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII')
    .optional()
    .describe('Retry-safe creation: the same key and body return the first response; another body gets 422'),
});

const storePath = (id: string) => `/api/v1/stores/${id}`;
const StreamResponse = { description: 'Server-Sent Events', content: { 'text/event-stream': { schema: z.string() } } };

const storesRoutes: FastifyPluginAsyncZod<StoresRoutesOptions> = async (app, opts) => {
  const { provisioner, queries, idempotency, config } = opts;
  const view = (row: StoreRow) => storeView(row, provisioner);
  const mustGet = (id: string): StoreRow => {
    const row = queries.getStore(id);
    if (row === undefined) throw new NotFoundError(`store '${id}' does not exist`);
    return row;
  };
  const actorOf = (req: { principal: { keyId: string } | null }) => req.principal?.keyId ?? 'anonymous';
  // creates run one at a time so the MAX_STORES check and the insert cannot interleave
  let createChain: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<string>();

  app.post(
    '/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'Create a store',
        description: 'Validates the spec, records the store as Pending and queues it. Poll the store or follow `/events/stream`.',
        headers: IdempotencyHeaders,
        body: CreateStoreBody,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 409, 413, 415, 422) },
      },
      config: { audit: 'store.create' },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const idemKey = req.headers['idempotency-key'];
      const requestHash = createHash('sha256').update(JSON.stringify(req.body)).digest('hex');
      if (idemKey !== undefined) {
        const stored = idempotency.find(actor, idemKey);
        if (stored !== undefined && stored.createdAt.getTime() > opts.now().getTime() - IDEMPOTENCY_TTL_MS) {
          if (stored.requestHash !== requestHash) {
            throw new IdempotencyKeyReusedError(`Idempotency-Key '${idemKey}' was first used with a different request body`);
          }
          const body = stored.response as z.infer<typeof StoreView>;
          req.auditTarget = body.id;
          return reply.code(stored.statusCode as 202).header('location', storePath(body.id)).header('idempotent-replayed', 'true').send(body);
        }
        if (inFlight.has(`${actor}\n${idemKey}`)) throw new IdempotencyKeyInFlightError(`retry once the first request with Idempotency-Key '${idemKey}' has finished`);
      }
      if (!engineAvailable(req.body.engine)) throw new EngineUnavailableError(`engine '${req.body.engine}' is not available yet; use 'woocommerce'`);

      const flightKey = `${actor}\n${idemKey ?? ''}`;
      if (idemKey !== undefined) inFlight.add(flightKey);
      try {
        const created = createChain.then(async () => {
          const live = queries.countLiveStores();
          if (live >= config.MAX_STORES) {
            throw new StoreLimitReachedError(`the platform runs ${live} stores, its limit (MAX_STORES) is ${config.MAX_STORES}; delete a store first`);
          }
          return provisioner.create({ ...req.body, teardownOnFailure: req.body.teardownOnFailure ?? config.TEARDOWN_FAILED_STORES }, { actor });
        });
        createChain = created.catch(() => undefined);
        const row = await created;
        req.auditTarget = row.id;
        req.log = req.log.child({ storeId: row.id });
        req.log.info({ slug: row.slug }, 'Store accepted');
        const body = view(row);
        if (idemKey !== undefined) idempotency.save(actor, idemKey, { requestHash, statusCode: 202, response: body }, opts.now());
        return reply.code(202).header('location', storePath(row.id)).send(body);
      } finally {
        inFlight.delete(flightKey);
      }
    },
  );

  app.get(
    '/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'List stores',
        description: 'Newest first. Follow `nextCursor` for the next page.',
        querystring: ListStoresQuery,
        response: { 200: StoreList, ...problems(...AUTH_PROBLEMS) },
      },
    },
    async (req) => {
      const page = queries.listStores(req.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/stores/stream',
    {
      schema: {
        tags: ['stores'],
        summary: 'Live updates for all stores (Server-Sent Events)',
        description:
          'Never ends by itself. Events: `store` (a Store, on every status change) and `step` (a StoreEvent of any store). ' +
          'Heartbeat comments keep proxies from closing the connection. Fetch the list first, then apply updates.',
        response: { 200: StreamResponse, ...problems(...AUTH_PROBLEMS) },
      },
      config: { sse: true },
    },
    async (req, reply) => {
      const onStore = (row: StoreRow) => stream.send('store', view(row));
      const onEvent = (ev: Parameters<typeof eventView>[0]) => stream.send('step', eventView(ev));
      const stream: SseStream = openSse(req, reply, {
        heartbeatMs: config.SSE_HEARTBEAT_SECONDS * 1000,
        onClose: () => {
          provisioner.bus.off('store', onStore);
          provisioner.bus.off('event', onEvent);
          opts.streams.delete(stream);
        },
      });
      opts.streams.add(stream);
      provisioner.bus.on('store', onStore);
      provisioner.bus.on('event', onEvent);
      stream.send('ready', { at: opts.now().toISOString() });
    },
  );

  app.get(
    '/stores/:id',
    {
      schema: { tags: ['stores'], summary: 'Get a store', params: StoreIdParams, response: { 200: StoreView, ...problems(...AUTH_PROBLEMS, 404) } },
    },
    async (req) => view(mustGet(req.params.id)),
  );

  app.delete(
    '/stores/:id',
    {
      schema: {
        tags: ['stores'],
        summary: 'Delete a store',
        description: 'Marks the store Deleting and removes its namespace; the record and timeline are kept and the name becomes reusable.',
        params: StoreIdParams,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.delete' },
    },
    async (req, reply) => {
      mustGet(req.params.id);
      const row = await provisioner.delete(req.params.id, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

  app.patch(
    '/stores/:id',
    {
      schema: {
        tags: ['stores'],
        summary: 'Change a store\'s plan',
        description: 'Only a Ready store; it goes back to Provisioning while every step is server-side applied on the new plan, then Ready again.',
        params: StoreIdParams,
        body: UpdateStoreBody,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 413, 415) },
      },
      config: { audit: 'store.change-plan' },
    },
    async (req, reply) => {
      mustGet(req.params.id);
      const row = await provisioner.changePlan(req.params.id, req.body.plan, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

  app.get(
    '/stores/:id/events',
    {
      schema: {
        tags: ['stores'],
        summary: 'The store\'s provisioning timeline',
        params: StoreIdParams,
        querystring: EventsQuery,
        response: { 200: EventList, ...problems(...AUTH_PROBLEMS, 404) },
      },
    },
    async (req) => {
      mustGet(req.params.id);
      return { items: queries.listEvents(req.params.id, req.query.after).map(eventView) };
    },
  );

  app.get(
    '/stores/:id/events/stream',
    {
      schema: {
        tags: ['stores'],
        summary: 'Follow the timeline live (Server-Sent Events)',
        description:
          'Sends `store` (the store now), then every existing `step` event (id = event id; `Last-Event-ID` resumes), then live ones, ' +
          'and `end` when the store is Ready, Failed or Deleted, after which the server closes the stream.',
        params: StoreIdParams,
        querystring: EventsQuery,
        response: { 200: StreamResponse, ...problems(...AUTH_PROBLEMS, 404) },
      },
      config: { sse: true },
    },
    async (req, reply) => {
      const id = req.params.id;
      const initial = mustGet(id);
      const lastEventId = Number.parseInt(String(req.headers['last-event-id'] ?? ''), 10);
      let lastSent = Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : (req.query.after ?? 0);
      let ready = false; // live events wait until the backlog is out
      const sendNewEvents = () => {
        for (const ev of queries.listEvents(id, lastSent)) {
          stream.send('step', eventView(ev), ev.id);
          lastSent = ev.id;
        }
      };
      const finishIfTerminal = (row: StoreRow) => {
        if (!TERMINAL.has(row.status)) return;
        sendNewEvents();
        stream.send('end', { status: row.status });
        stream.close();
      };
      const onEvent = (ev: Parameters<typeof eventView>[0]) => {
        if (ev.storeId !== id || !ready || ev.id <= lastSent) return;
        sendNewEvents(); // from the database, so nothing emitted between two events is skipped
      };
      const onStore = (row: StoreRow) => {
        if (row.id !== id || !ready) return;
        stream.send('store', view(row));
        // the engine records its closing timeline entry right after the status change: let it land first
        if (TERMINAL.has(row.status)) setImmediate(() => finishIfTerminal(row));
      };
      const stream: SseStream = openSse(req, reply, {
        heartbeatMs: config.SSE_HEARTBEAT_SECONDS * 1000,
        onClose: () => {
          provisioner.bus.off('event', onEvent);
          provisioner.bus.off('store', onStore);
          opts.streams.delete(stream);
        },
      });
      opts.streams.add(stream);
      provisioner.bus.on('event', onEvent);
      provisioner.bus.on('store', onStore);
      stream.send('store', view(initial));
      sendNewEvents();
      ready = true;
      finishIfTerminal(queries.getStore(id) ?? initial);
    },
  );

  app.post(
    '/stores/:id/retry',
    {
      schema: {
        tags: ['operations'],
        summary: 'Retry a Failed store from the step that failed',
        params: StoreIdParams,
        response: { 202: StoreView, ...problems(...AUTH_PROBLEMS, 403, 404, 409) },
      },
      config: { audit: 'store.retry' },
    },
    async (req, reply) => {
      mustGet(req.params.id);
      const row = await provisioner.retry(req.params.id, { actor: actorOf(req) });
      return reply.code(202).send(view(row));
    },
  );

  app.post(
    '/stores/:id/actions/restart',
    {
      schema: {
        tags: ['operations'],
        summary: 'Restart the store\'s pods (all, or one component)',
        params: StoreIdParams,
        body: RestartBody,
        response: { 202: RestartResult, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 502, 503) },
      },
      config: { audit: 'store.restart' },
    },
    async (req, reply) => {
      mustGet(req.params.id);
      return reply.code(202).send(await provisioner.restart(req.params.id, req.body?.component));
    },
  );

  app.post(
    '/stores/:id/actions/reset-admin-password',
    {
      schema: {
        tags: ['operations'],
        summary: 'Set a new WordPress admin password (shown once)',
        params: StoreIdParams,
        response: { 200: PasswordReset, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 502, 503) },
      },
      config: { audit: 'store.reset-admin-password' },
    },
    async (req, reply) => {
      mustGet(req.params.id);
      reply.header('cache-control', 'no-store');
      return provisioner.resetAdminPassword(req.params.id);
    },
  );

  app.get(
    '/stores/:id/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Pods, volumes and quota usage',
        params: StoreIdParams,
        response: { 200: StoreHealth, ...problems(...AUTH_PROBLEMS, 404, 409, 502, 503) },
      },
    },
    async (req) => {
      mustGet(req.params.id);
      return provisioner.health(req.params.id);
    },
  );

  app.get(
    '/stores/:id/logs',
    {
      schema: {
        tags: ['operations'],
        summary: 'Recent container logs',
        params: StoreIdParams,
        querystring: LogsQuery,
        response: { 200: StoreLogs, ...problems(...AUTH_PROBLEMS, 404, 409, 502, 503) },
      },
    },
    async (req) => {
      mustGet(req.params.id);
      return provisioner.logs(req.params.id, { component: req.query.component, tail: req.query.tail });
    },
  );

  app.get(
    '/stores/:id/credentials',
    {
      schema: {
        tags: ['operations'],
        summary: 'Admin URL, user and password (admin keys only; audit-logged)',
        description: 'Read live from the store\'s Secret; the platform keeps no copy.',
        params: StoreIdParams,
        response: { 200: AdminCredentials, ...problems(...AUTH_PROBLEMS, 403, 404, 409, 502, 503) },
      },
      config: { role: 'admin', audit: 'store.credentials.read' },
    },
    async (req, reply) => {
      mustGet(req.params.id);
      reply.header('cache-control', 'no-store');
      return provisioner.credentials(req.params.id);
    },
  );

  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first',
        querystring: AuditQuery,
        response: { 200: AuditList, ...problems(...AUTH_PROBLEMS) },
      },
    },
    async (req) => {
      const page = queries.listAudit(req.query);
      return { items: page.items.map(auditView), nextCursor: page.nextCursor };
    },
  );
};

export default storesRoutes;

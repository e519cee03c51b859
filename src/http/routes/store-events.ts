import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StoreEventRow, StoreRow } from '../ports.js';
import { StreamLimitReachedError } from '../errors.js';
import { AUTH_PROBLEMS, problems } from '../schemas/common.js';
import { EventList, EventsQuery, StoreIdParams } from '../schemas/stores.js';
import { openSse, type SseStream } from '../sse.js';
import type { RolloutRow } from '../../db/repos/rollouts-repo.js';
import { RolloutIdParams, type RolloutViewBody } from '../schemas/rollouts.js';
import { eventView, rolloutView } from '../views.js';
import { actorOf, inScope, storeAccess, type StoreRoutesOptions } from './shared.js';

const TERMINAL = new Set(['Ready', 'Suspended', 'Failed', 'Deleted']);
const STREAM_LIMITS =
  'Open streams are capped per API key and in all (429 `STREAM_LIMIT_REACHED` with Retry-After beyond); a stream whose client stops reading is closed once a bounded backlog waits for it (reconnect with `Last-Event-ID`).';
const StreamResponse = { description: 'Server-Sent Events', content: { 'text/event-stream': { schema: z.string() } } };

/** Handlers for the provisioner's bus; each is optional. */
interface BusHandlers {
  readonly store?: (row: StoreRow) => void;
  readonly event?: (ev: StoreEventRow) => void;
  readonly rollout?: (row: RolloutRow) => void;
}

/** Seconds a client refused a stream is told to wait (Retry-After). */
const STREAM_RETRY_AFTER_SECONDS = 10;

/**
 * The timeline and both event streams. Every stream follows the bus through one helper, which admits
 * it within SSE_MAX_STREAMS_PER_KEY and SSE_MAX_STREAMS (429 beyond), opens the SSE response,
 * subscribes, and unsubscribes exactly once when either side ends it.
 */
const storeEventsRoutes: FastifyPluginAsyncZod<StoreRoutesOptions> = async (app, opts) => {
  const { provisioner, queries, config } = opts;
  const { view, mustGet } = storeAccess(opts);

  const admit = (keyId: string, reply: FastifyReply): void => {
    const refuse = (why: string): never => {
      reply.header('retry-after', String(STREAM_RETRY_AFTER_SECONDS));
      throw new StreamLimitReachedError(why);
    };
    if (opts.streams.size >= config.SSE_MAX_STREAMS) refuse(`the platform has ${opts.streams.size} event streams open, its limit (SSE_MAX_STREAMS); retry later`);
    let mine = 0;
    for (const s of opts.streams) if (s.keyId === keyId) mine += 1;
    if (mine >= config.SSE_MAX_STREAMS_PER_KEY) refuse(`key '${keyId}' has ${mine} event streams open, its limit (SSE_MAX_STREAMS_PER_KEY); close one first`);
  };

  const followBus = (req: FastifyRequest, reply: FastifyReply, handlers: BusHandlers): SseStream => {
    const keyId = actorOf(req);
    admit(keyId, reply);
    const on = (): void => {
      if (handlers.store) provisioner.bus.on('store', handlers.store);
      if (handlers.event) provisioner.bus.on('event', handlers.event);
      if (handlers.rollout) provisioner.bus.on('rollout', handlers.rollout);
    };
    const stream = openSse(req, reply, {
      heartbeatMs: config.SSE_HEARTBEAT_SECONDS * 1000,
      keyId,
      maxBufferedBytes: config.SSE_MAX_BUFFERED_BYTES,
      onClose: () => {
        if (handlers.store) provisioner.bus.off('store', handlers.store);
        if (handlers.event) provisioner.bus.off('event', handlers.event);
        if (handlers.rollout) provisioner.bus.off('rollout', handlers.rollout);
        opts.streams.delete(stream);
      },
    });
    opts.streams.add(stream);
    on();
    return stream;
  };

  app.get(
    '/stores/stream',
    {
      schema: {
        tags: ['stores'],
        summary: 'Live updates for all of the owner\'s stores (Server-Sent Events)',
        description:
          'Never ends by itself. Events: `store` (a Store, on every status change) and `step` (a StoreEvent of any of the caller\'s owner\'s stores). ' +
          'Heartbeat comments keep proxies from closing the connection. Fetch the list first, then apply updates. ' +
          STREAM_LIMITS,
        response: { 200: StreamResponse, ...problems(...AUTH_PROBLEMS) },
      },
      config: { sse: true },
    },
    async (req, reply) => {
      // only the caller's owner's stores: a step names its store, whose owner is read (and remembered) once
      const owners = new Map<string, string | undefined>();
      const visible = (storeId: string): boolean => {
        if (!owners.has(storeId)) owners.set(storeId, queries.getStore(storeId)?.ownerId);
        const ownerId = owners.get(storeId);
        return ownerId !== undefined && inScope(req, { ownerId });
      };
      const stream: SseStream = followBus(req, reply, {
        store: (row) => {
          if (inScope(req, row)) stream.send('store', view(row));
        },
        event: (ev) => {
          if (visible(ev.storeId)) stream.send('step', eventView(ev));
        },
      });
      stream.send('ready', { at: opts.now().toISOString() });
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
      mustGet(req, req.params.id);
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
          'and `end` when the store is Ready, Suspended, Failed or Deleted, after which the server closes the stream. ' +
          STREAM_LIMITS,
        params: StoreIdParams,
        querystring: EventsQuery,
        response: { 200: StreamResponse, ...problems(...AUTH_PROBLEMS, 404) },
      },
      config: { sse: true },
    },
    async (req, reply) => {
      const id = req.params.id;
      const initial = mustGet(req, id);
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
      const onEvent = (ev: StoreEventRow) => {
        if (ev.storeId !== id || !ready) return;
        // a collapsed retry row counted once more: send it again, without an id (Last-Event-ID stays)
        if (ev.id <= lastSent) {
          stream.send('step', eventView(ev));
          return;
        }
        sendNewEvents(); // from the database, so nothing emitted between two events is skipped
      };
      const onStore = (row: StoreRow) => {
        if (row.id !== id || !ready) return;
        stream.send('store', view(row));
        // the engine records its closing timeline entry right after the status change: let it land first
        if (TERMINAL.has(row.status)) setImmediate(() => finishIfTerminal(row));
      };
      const stream: SseStream = followBus(req, reply, { event: onEvent, store: onStore });
      stream.send('store', view(initial));
      sendNewEvents();
      ready = true;
      finishIfTerminal(queries.getStore(id) ?? initial);
    },
  );

  app.get(
    '/rollouts/:id/stream',
    {
      schema: {
        tags: ['rollouts'],
        summary: 'Follow a rollout live (Server-Sent Events)',
        description: 'Sends `rollout` (the rollout now, with every store) at once and on every change, and `end` once it has Succeeded or '
          + 'was Aborted (a Halted or Paused rollout may go on: the stream stays open). Platform admins only. ' + STREAM_LIMITS,
        params: RolloutIdParams,
        response: { 200: StreamResponse, ...problems(...AUTH_PROBLEMS, 403, 404) },
      },
      config: { sse: true, role: 'admin' },
    },
    async (req, reply) => {
      const id = req.params.id;
      const current = () => {
        const { rollout, stores } = provisioner.rollout(id);
        return rolloutView(rollout, stores, true);
      };
      const first = current(); // 404 before the stream opens
      const send = (view: RolloutViewBody) => {
        stream.send('rollout', view);
        if (view.status === 'Succeeded' || view.status === 'Aborted') {
          stream.send('end', { status: view.status });
          stream.close();
        }
      };
      const stream: SseStream = followBus(req, reply, { rollout: (row) => { if (row.id === id) send(current()); } });
      send(first);
    },
  );
};

export default storeEventsRoutes;

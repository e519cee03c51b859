import { vi } from 'vitest';

export interface Recorded {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

type Reply = Response | ((req: Recorded) => Response | Promise<Response>);

export const json = (status: number, body: unknown, contentType = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });

export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: `https://store-platform.dev/problems/${code.toLowerCase()}`, title: code, status, code, detail, ...extra }, 'application/problem+json');

/** A Server-Sent Events response with the given events that stays open (like the live streams). */
export function sse(events: { event: string; data: unknown; id?: number }[], open = true): Response {
  const text = events.map((e) => `${e.id !== undefined ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join('');
  const body = new ReadableStream<Uint8Array>({
    start(ctl) {
      ctl.enqueue(new TextEncoder().encode(text));
      if (!open) ctl.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/**
 * Replaces global fetch with a router: `"GET /api/v1/stores"` (path without query) to a reply.
 * Unknown routes answer 404 problem+json. Returns the recorded requests.
 */
export function mockFetch(routes: Record<string, Reply>): Recorded[] {
  const calls: Recorded[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(input, init);
      const text = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.clone().text();
      const rec: Recorded = { method: req.method, url: new URL(req.url), headers: req.headers, body: text ? JSON.parse(text) : undefined };
      calls.push(rec);
      const reply = routes[`${req.method} ${rec.url.pathname}`];
      if (reply === undefined) return problem(404, 'ROUTE_NOT_FOUND', `no route ${req.method} ${rec.url.pathname}`);
      return typeof reply === 'function' ? reply(rec) : reply.clone();
    }),
  );
  return calls;
}

/**
 * GET /api/v1/engines as the platform answers it (Medusa here offers only two plans, to be told apart).
 * WooCommerce has a catalogue: a store on 7.0.2-wc10.3.0 (aStore's) may go to 7.1.0-wc10.4.0 or 7.2.0-wc10.5.0,
 * not back to 6.9.1-wc10.2.0 and not straight to 7.3.0-wc11.0.0; Medusa has its base release only.
 */
export const ENGINES_REPLY = {
  items: [
    {
      name: 'woocommerce', title: 'WooCommerce', plans: ['small', 'standard', 'large'], adminPath: '/wp-admin/', adminTitle: 'WordPress administrator',
      currentVersion: '7.2.0-wc10.5.0',
      versions: [
        { version: '7.0.2-wc10.3.0', upgradesFrom: ['6.9.1-wc10.2.0'] },
        { version: '6.9.1-wc10.2.0', upgradesFrom: [] },
        { version: '7.1.0-wc10.4.0', upgradesFrom: ['7.0.2-wc10.3.0'] },
        { version: '7.2.0-wc10.5.0', upgradesFrom: ['7.0.2-wc10.3.0', '7.1.0-wc10.4.0'] },
        { version: '7.3.0-wc11.0.0', upgradesFrom: ['7.2.0-wc10.5.0'] },
      ],
    },
    {
      name: 'medusa', title: 'Medusa', plans: ['standard', 'large'], adminPath: '/app/', adminTitle: 'Medusa admin user',
      currentVersion: '2.21.2', versions: [{ version: '2.21.2', upgradesFrom: [] }],
    },
  ],
};

export function aStore(over: Record<string, unknown> = {}) {
  const name = (over.name as string | undefined) ?? 'acme';
  return {
    id: `st_${name}`,
    ownerId: 'default',
    name,
    title: 'Acme Shop',
    engine: 'woocommerce',
    plan: 'small',
    adminEmail: 'owner@example.com',
    customDomain: null,
    currency: 'USD',
    status: 'Ready',
    statusReason: null,
    failedStep: null,
    storeUrl: `http://${name}.127.0.0.1.nip.io`,
    adminUrl: `http://${name}.127.0.0.1.nip.io/wp-admin/`,
    components: ['mysql', 'wordpress'],
    namespace: `store-${name}`,
    teardownOnFailure: false,
    generation: 1,
    observedGeneration: 1,
    queuePosition: null,
    createdBy: 'bootstrap-admin',
    createdAt: '2026-11-24T07:00:00.000Z',
    updatedAt: '2026-11-24T07:01:00.000Z',
    readyAt: '2026-11-24T07:01:00.000Z',
    deletedAt: null,
    purgeAt: null,
    version: '7.0.2-wc10.3.0',
    upgradeFrom: null,
    conditions: [],
    ...over,
  };
}

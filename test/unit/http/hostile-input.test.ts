import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../src/error-catalogue.js';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';
import { head, listen, parseRaw, rawRequest, type RawResponse } from './raw-http.js';

// Slow clients, malformed requests and bodies where none belong, over a real socket: what is refused,
// with which problem, and whether the connection is closed.

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly takesBody: boolean;
}

/** Every operation of the OpenAPI document, path parameters filled with `zz`. */
async function operations(app: TestApp['app']): Promise<Operation[]> {
  const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'zz'), takesBody: op.requestBody !== undefined })));
}

/** A request with `body` and its Content-Length. */
const withBody = (method: string, path: string, headers: Record<string, string>, body: string): string =>
  head(method, path, { ...headers, 'content-length': Buffer.byteLength(body) }) + body;

/** The RFC 9457 shape with a catalogue code whose status is the response's. */
function expectProblem(res: RawResponse, code: ErrorCode, status = ERROR_CATALOGUE[code].statuses[0]): void {
  expect(res.status, res.body.slice(0, 300)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ code, status, type: `https://store-platform.dev/problems/${code.toLowerCase().replace(/_/g, '-')}` });
  expect((ERROR_CATALOGUE[code].statuses as readonly number[]).includes(res.status)).toBe(true);
}

// each case waits out real seconds of server timeouts; the bounds below are the assertions, and a
// busy machine (npm test runs its lanes side by side) must not turn them into vitest's 5 s timeout
describe('slow clients', { timeout: 20_000 }, () => {
  it('fails an anonymous upload to every route that takes a body with 401 at once, and closes the connection', async () => {
    t = await makeApp({ HTTP_REQUEST_TIMEOUT_SECONDS: 30 });
    const port = await listen(t.app);
    const withBody = (await operations(t.app)).filter((o) => o.takesBody);
    expect(withBody.length).toBeGreaterThanOrEqual(6);
    for (const op of withBody) {
      const res = await rawRequest(port, head(op.method, op.path, { 'content-type': 'application/json', 'content-length': 4000 }), { trickle: '{"a":1}', untilClosed: true });
      expectProblem(res, 'UNAUTHORIZED');
      expect(res.answeredAfterMs, `${op.method} ${op.path}`).toBeLessThan(1000);
      expect(res.closedAfterMs, `${op.method} ${op.path}`).toBeLessThan(1500);
    }
    expect(t.provisioner.calls).toEqual([]);
  });

  it('fails a trickled body on a route that takes none, or on no route, at once and closes the connection', async () => {
    t = await makeApp({ HTTP_REQUEST_TIMEOUT_SECONDS: 30 });
    const port = await listen(t.app);
    const cases: [string, string, Record<string, string>, ErrorCode][] = [
      ['POST', '/nowhere', {}, 'ROUTE_NOT_FOUND'],
      ['POST', '/healthz', {}, 'ROUTE_NOT_FOUND'],
      ['GET', '/healthz', {}, 'BODY_NOT_ALLOWED'],
      ['GET', '/openapi.json', {}, 'BODY_NOT_ALLOWED'],
      ['DELETE', '/api/v1/stores/x', bearer(t.adminKey), 'BODY_NOT_ALLOWED'],
      ['POST', '/api/v1/stores/x/retry', bearer(t.adminKey), 'BODY_NOT_ALLOWED'],
    ];
    for (const [method, path, headers, code] of cases) {
      const res = await rawRequest(port, head(method, path, { ...headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), { trickle: '1\r\na\r\n', untilClosed: true });
      expectProblem(res, code);
      expect(res.closedAfterMs, `${method} ${path}`).toBeLessThan(1500);
    }
  });

  it('fails an authenticated upload that trickles past HTTP_REQUEST_TIMEOUT_SECONDS with a 408 problem and closes the connection', async () => {
    t = await makeApp({ HTTP_REQUEST_TIMEOUT_SECONDS: 2, HTTP_HEADERS_TIMEOUT_SECONDS: 1 });
    const port = await listen(t.app);
    const res = await rawRequest(port, head('POST', '/api/v1/stores', { ...bearer(t.adminKey), 'content-type': 'application/json', 'content-length': 4000 }), {
      trickle: ' ', trickleEveryMs: 100, waitMs: 6000, untilClosed: true,
    });
    expectProblem(res, 'REQUEST_TIMEOUT');
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(1900);
    expect(res.closedAfterMs).toBeLessThan(4500);
    expect(t.provisioner.calls).toEqual([]);
  });

  it('fails headers that trickle past HTTP_HEADERS_TIMEOUT_SECONDS, and a connection that sends nothing', async () => {
    t = await makeApp({ HTTP_REQUEST_TIMEOUT_SECONDS: 5, HTTP_HEADERS_TIMEOUT_SECONDS: 1 });
    const port = await listen(t.app);
    const [slow, silent] = await Promise.all([
      rawRequest(port, 'GET /healthz HTTP/1.1\r\nhost: platform.test\r\nx-slow: ', { trickle: 'a', trickleEveryMs: 100, waitMs: 6000, untilClosed: true }),
      rawRequest(port, '', { waitMs: 6000, untilClosed: true }),
    ]);
    expectProblem(slow, 'REQUEST_TIMEOUT');
    expect(slow.closedAfterMs).toBeLessThan(3500);
    expect(silent.closedAfterMs).toBeLessThan(3500);
  });

  it('closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', async () => {
    t = await makeApp({ HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: 1 });
    const port = await listen(t.app);
    const res = await rawRequest(port, head('GET', '/healthz'), { waitMs: 5000, untilClosed: true });
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('keep-alive');
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(res.closedAfterMs).toBeLessThan(3000);
  });

  it('keeps a connection whose request arrived whole open for the next one', async () => {
    t = await makeApp();
    const port = await listen(t.app);
    const res = await rawRequest(port, withBody('POST', '/api/v1/stores', { ...bearer(t.adminKey), 'content-type': 'application/json' }, JSON.stringify(validStore())), { waitMs: 500, untilClosed: true });
    expect(res.status).toBe(202);
    expect(res.closedAfterMs).toBeUndefined();
  });

  it('fails to start with a headers timeout longer than the request timeout', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: '60', HTTP_REQUEST_TIMEOUT_SECONDS: '30' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: '60', HTTP_REQUEST_TIMEOUT_SECONDS: '30' })).toThrow(/HTTP_HEADERS_TIMEOUT_SECONDS \(60\) must not exceed HTTP_REQUEST_TIMEOUT_SECONDS \(30\)/);
    expect(loadConfig({})).toMatchObject({ HTTP_HEADERS_TIMEOUT_SECONDS: 10, HTTP_REQUEST_TIMEOUT_SECONDS: 30, HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: 72 });
  });
});

describe('error shape', () => {
  it('answers every malformed request with a problem whose code has the answer\'s status', async () => {
    const web = mkdtempSync(join(tmpdir(), 'sp-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>dash</title>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    t = await makeApp({}, { webDir: web });
    const port = await listen(t.app);
    const key = bearer(t.adminKey);
    const json = { ...key, 'content-type': 'application/json' };
    const cases: [string, string, ErrorCode][] = [
      // bad percent-encoding, in a parameter, a static path and an unknown one
      [head('GET', '/api/v1/stores/%zz', key), 'bad percent-encoding in a parameter', 'INVALID_PATH'],
      [head('GET', '/%E0%A4%A'), 'a truncated UTF-8 sequence', 'INVALID_PATH'],
      [head('GET', '/app%ZZ.js'), 'bad percent-encoding in a file path', 'INVALID_PATH'],
      // dot segments, plain and encoded, into the file servers and the API
      [head('GET', '/../package.json'), 'a .. segment', 'INVALID_PATH'],
      [head('GET', '/docs/static/../../package.json'), '.. under Swagger UI\'s files', 'INVALID_PATH'],
      [head('GET', '/docs/static/%2e%2e/%2e%2e/package.json'), 'encoded .. segments', 'INVALID_PATH'],
      [head('GET', '/docs/static/..%2f..%2fpackage.json'), '.. with an encoded slash', 'INVALID_PATH'],
      [head('GET', '/docs/static/..%5c..%5cpackage.json'), '.. with an encoded backslash', 'INVALID_PATH'],
      [head('GET', '/api/v1/./stores', key), 'a . segment', 'INVALID_PATH'],
      [head('GET', '/app.js%00.html'), 'a NUL', 'INVALID_PATH'],
      // lengths
      [head('GET', `/api/v1/stores/${'a'.repeat(5000)}`, key), 'an overlong id', 'VALIDATION_FAILED'],
      [head('GET', `/api/v1/stores/${'a'.repeat(9000)}`, key), 'an id over the URL limit', 'URI_TOO_LONG'],
      [head('GET', `/app.js/${'a'.repeat(9000)}`), 'a file path over the URL limit', 'URI_TOO_LONG'],
      [head('GET', `/api/v1/stores?status=${'a'.repeat(9000)}`, key), 'a query over the URL limit', 'URI_TOO_LONG'],
      [head('GET', `/${'a'.repeat(20_000)}`), 'a request line over 16 KiB', 'HEADERS_TOO_LARGE'],
      [head('GET', '/healthz', { 'x-big': 'a'.repeat(20_000) }), 'headers over 16 KiB', 'HEADERS_TOO_LARGE'],
      [head('POST', '/api/v1/stores', { ...json, 'content-length': 1_000_000 }), 'a body over BODY_LIMIT_BYTES', 'BODY_TOO_LARGE'],
      // malformed HTTP and bodies
      ['GARBAGE\r\n\r\n', 'no HTTP at all', 'BAD_REQUEST'],
      [head('POST', '/api/v1/stores', { ...json, 'content-length': 'abc' }), 'a Content-Length that is no number', 'BAD_REQUEST'],
      [withBody('POST', '/api/v1/stores', json, '{"name":'), 'truncated JSON', 'INVALID_JSON'],
      [withBody('POST', '/api/v1/stores', json, '{"__proto__":{"isAdmin":true}}'), 'a prototype-poisoning body', 'INVALID_JSON'],
      [withBody('POST', '/api/v1/stores', json, '{"constructor":{"prototype":{"isAdmin":true}}}'), 'a constructor-poisoning body', 'INVALID_JSON'],
      [withBody('POST', '/api/v1/stores', { ...key, 'content-type': 'application/xml' }, '<a/>'), 'a body in another media type', 'UNSUPPORTED_MEDIA_TYPE'],
      [withBody('POST', '/api/v1/stores', key, '{}'), 'a body without a media type', 'UNSUPPORTED_MEDIA_TYPE'],
      [withBody('DELETE', '/api/v1/stores/x', json, '{}'), 'a body on a route that takes none', 'BODY_NOT_ALLOWED'],
      // routes and files
      [head('PUT', '/api/v1/stores', key), 'a method no route has', 'ROUTE_NOT_FOUND'],
      [head('GET', '/api/v1/nothing', key), 'no such API route', 'ROUTE_NOT_FOUND'],
      [head('GET', '/missing.js'), 'no such file', 'ROUTE_NOT_FOUND'],
      [head('GET', '/app.js', { range: 'bytes=9999-' }), 'a Range outside a dashboard file', 'RANGE_NOT_SATISFIABLE'],
      [head('GET', '/app.js', { 'if-match': '"other"' }), 'a failed If-Match on a dashboard file', 'PRECONDITION_FAILED'],
      [head('GET', '/api/v1/stores/x'), 'no key', 'UNAUTHORIZED'],
      [head('GET', '/api/v1/stores/x', key), 'no such store', 'NOT_FOUND'],
    ];
    for (const [request, what, code] of cases) {
      const res = await rawRequest(port, request, { waitMs: 1500 });
      expect(res.json?.code, what).toBe(code);
      expectProblem(res, code);
    }
  });

  it('answers a request that arrives while the server shuts down with a 503 problem', async () => {
    t = await makeApp();
    const port = await listen(t.app);
    let release!: () => void;
    t.provisioner.createGate = new Promise((resolve) => (release = resolve));
    // one request keeps close() waiting; another connection is mid-request (so not idle) when it starts
    const held = rawRequest(port, withBody('POST', '/api/v1/stores', { ...bearer(t.adminKey), 'content-type': 'application/json' }, JSON.stringify(validStore())));
    await expect.poll(() => t.provisioner.calls).toEqual(['create acme-shop']);
    const late = new Promise<RawResponse>((resolve) => {
      const half = head('GET', '/healthz');
      const socket = net.connect(port, '127.0.0.1', () => socket.write(half.slice(0, 10)));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve({ ...parseRaw(text), answeredAfterMs: 0, closedAfterMs: 0 }));
      setTimeout(() => {
        void t.app.close();
        setTimeout(() => socket.write(half.slice(10)), 50);
      }, 50);
    });
    expectProblem(await late, 'UNAVAILABLE');
    release();
    expect((await held).status).toBe(202);
  });

  it('answers past the rate limit with a 429 problem', async () => {
    t = await makeApp({ RATE_LIMIT_READ_PER_MINUTE: 1 });
    const port = await listen(t.app);
    await rawRequest(port, head('GET', '/api/v1/stores', bearer(t.viewerKey)), { waitMs: 300 });
    const res = await rawRequest(port, head('GET', '/api/v1/stores', bearer(t.viewerKey)), { waitMs: 300 });
    expectProblem(res, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('bodies on routes that take none', () => {
  it('accepts an empty body in any media type on every route that takes none', async () => {
    t = await makeApp({ RATE_LIMIT_MUTATION_PER_MINUTE: 1_000 }); // every route three times
    const port = await listen(t.app);
    const bodyless = (await operations(t.app)).filter((o) => !o.takesBody && !o.path.endsWith('/stream'));
    expect(bodyless.length).toBeGreaterThan(15);
    for (const op of bodyless) {
      for (const type of ['application/json', 'text/plain', 'application/xml']) {
        const res = await rawRequest(port, head(op.method, op.path, { ...bearer(t.adminKey), 'content-type': type, 'content-length': 0 }), { waitMs: 500 });
        // the route ran: its own answer (2xx, or 404 for the made-up id), never a body problem
        expect([200, 202, 204, 404, 409, 503], `${op.method} ${op.path} ${type}: ${res.body.slice(0, 200)}`).toContain(res.status);
        if (res.status === 404) expect(res.json?.code).toBe('NOT_FOUND');
      }
    }
  });

  it('deletes and retries a store sent with Content-Type: application/json and no body', async () => {
    t = await makeApp();
    const port = await listen(t.app);
    const store = (await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore() })).json();
    t.provisioner.setStatus(store.id, 'Failed', { failedStep: 'mysql' });
    const json = { ...bearer(t.adminKey), 'content-type': 'application/json' };
    expect((await rawRequest(port, head('POST', `/api/v1/stores/${store.id}/retry`, json), { waitMs: 300 })).status).toBe(202);
    expect((await rawRequest(port, head('DELETE', `/api/v1/stores/${store.id}`, { ...json, 'content-length': 0 }), { waitMs: 300 })).status).toBe(202);
    expect(t.provisioner.calls).toEqual(['create acme-shop', `retry ${store.id}`, `delete ${store.id}`]);
  });

  it('fails with 400 BODY_NOT_ALLOWED on a non-empty body on every route that takes none, before it acts', async () => {
    t = await makeApp();
    const port = await listen(t.app);
    const store = (await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore() })).json();
    const bodyless = (await operations(t.app)).filter((o) => !o.takesBody);
    for (const op of bodyless) {
      for (const body of ['{}', '{"component":"mysql"}', 'x']) {
        const path = op.path.replace('/stores/zz', `/stores/${store.id}`);
        const res = await rawRequest(port, withBody(op.method, path, { ...bearer(t.adminKey), 'content-type': 'application/json' }, body), { waitMs: 500 });
        expect(res.json?.code, `${op.method} ${op.path}`).toBe('BODY_NOT_ALLOWED');
        expectProblem(res, 'BODY_NOT_ALLOWED');
      }
    }
    expect(t.provisioner.calls).toEqual(['create acme-shop']);
  });

  it('documents a request body as required exactly where the route refuses to go without one', async () => {
    t = await makeApp();
    const port = await listen(t.app);
    const store = (await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore() })).json();
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>> };
    const bodies = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => op.requestBody !== undefined).map(([method, op]) => ({ method: method.toUpperCase(), path, required: op.requestBody!.required !== false })));
    expect(bodies.filter((b) => !b.required).map((b) => `${b.method} ${b.path}`)).toEqual(['POST /api/v1/stores/{id}/actions/restart']);
    for (const b of bodies) {
      const path = b.path.replace('{id}', store.id).replace(/\{[^}]+\}/g, 'zz');
      const res = await rawRequest(port, head(b.method, path, { ...bearer(t.adminKey), 'content-type': 'application/json', 'content-length': 0 }), { waitMs: 500 });
      expect(res.json?.code === 'VALIDATION_FAILED', `${b.method} ${b.path}: ${res.body.slice(0, 200)}`).toBe(b.required);
    }
  });

  it('fails a create with an empty JSON body with 400 VALIDATION_FAILED, not a parse error', async () => {
    t = await makeApp();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: { ...bearer(t.adminKey), 'content-type': 'application/json' }, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('restarts every component when the optional body is empty', async () => {
    t = await makeApp();
    const store = (await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore() })).json();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${store.id}/actions/restart`, headers: { ...bearer(t.adminKey), 'content-type': 'application/json' }, payload: '' });
    expect(res.statusCode).toBe(202);
    expect(t.provisioner.calls).toContain(`restart ${store.id} *`);
  });
});

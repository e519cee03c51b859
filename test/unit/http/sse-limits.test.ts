import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, makeApp, validStore, type TestApp } from './helpers.js';
import { listen } from './raw-http.js';

// Event streams under load: caps per key and in all, and clients that stop reading.

let t: TestApp;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await t?.app.close();
});

interface Stream {
  readonly socket: net.Socket;
  /** Resolves with the status and headers once the head has arrived. */
  readonly head: Promise<{ status: number; text: string }>;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
}

/** Opens `path` as an event stream over a raw socket (so a test can stop reading). */
function openStream(port: number, path: string, key: string): Stream {
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.write(`GET ${path} HTTP/1.1\r\nhost: platform.test\r\naccept: text/event-stream\r\nauthorization: Bearer ${key}\r\n\r\n`);
  let text = '';
  const head = new Promise<{ status: number; text: string }>((resolve) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve({ status: Number(text.split(' ')[1]), text });
      }
    };
    socket.on('data', onData);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  return { socket, head, closed };
}

const problemCode = (text: string): unknown => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).code;

describe('event stream limits', () => {
  it('fails with 429 STREAM_LIMIT_REACHED past SSE_MAX_STREAMS_PER_KEY, counting each key apart, and frees the slot on close', async () => {
    t = await makeApp({ SSE_MAX_STREAMS_PER_KEY: 2, SSE_MAX_STREAMS: 10 });
    const port = await listen(t.app);
    const store = (await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore() })).json();
    const a = openStream(port, '/api/v1/stores/stream', t.adminKey);
    const b = openStream(port, `/api/v1/stores/${store.id}/events/stream`, t.adminKey);
    expect((await a.head).status).toBe(200);
    expect((await b.head).status).toBe(200);
    const over = await openStream(port, '/api/v1/stores/stream', t.adminKey).head;
    expect(over.status).toBe(429);
    expect(over.text).toMatch(/content-type: application\/problem\+json/i);
    expect(over.text).toMatch(/retry-after: \d+/i);
    expect(problemCode(over.text)).toBe('STREAM_LIMIT_REACHED');
    expect((await openStream(port, '/api/v1/stores/stream', t.viewerKey).head).status).toBe(200);
    a.socket.destroy();
    await expect.poll(async () => (await openStream(port, '/api/v1/stores/stream', t.adminKey).head).status).toBe(200);
  });

  it('fails with 429 STREAM_LIMIT_REACHED past SSE_MAX_STREAMS, whichever keys hold them', async () => {
    t = await makeApp({ SSE_MAX_STREAMS_PER_KEY: 5, SSE_MAX_STREAMS: 2 });
    const port = await listen(t.app);
    expect((await openStream(port, '/api/v1/stores/stream', t.adminKey).head).status).toBe(200);
    expect((await openStream(port, '/api/v1/stores/stream', t.viewerKey).head).status).toBe(200);
    const over = await openStream(port, '/api/v1/stores/stream', t.viewerKey).head;
    expect(over.status).toBe(429);
    expect(problemCode(over.text)).toBe('STREAM_LIMIT_REACHED');
  });

  it('closes a stream whose client stops reading once SSE_MAX_BUFFERED_BYTES wait unsent, and frees its slot', async () => {
    t = await makeApp({ SSE_MAX_STREAMS_PER_KEY: 1, SSE_MAX_BUFFERED_BYTES: 64 * 1024 });
    const port = await listen(t.app);
    const store = (await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore() })).json();
    const stalled = openStream(port, '/api/v1/stores/stream', t.viewerKey);
    expect((await stalled.head).status).toBe(200);
    stalled.socket.pause(); // reads nothing more: the kernel's buffers fill, then the server's
    const row = t.provisioner.stores.get(store.id);
    let sent = 0;
    let closed = false;
    void stalled.closed.then(() => (closed = true));
    // ~1.5 KB per event; far more than loopback socket buffers hold
    while (!closed && sent < 40_000) {
      for (let i = 0; i < 500; i++) t.provisioner.bus.emit('store', row);
      sent += 500;
      await new Promise((r) => setImmediate(r));
    }
    await stalled.closed;
    expect(sent).toBeLessThan(40_000);
    expect((await openStream(port, '/api/v1/stores/stream', t.viewerKey).head).status).toBe(200);
  });

  it('keeps a stream whose client reads open through a burst larger than SSE_MAX_BUFFERED_BYTES', async () => {
    t = await makeApp({ SSE_MAX_BUFFERED_BYTES: 64 * 1024 });
    const port = await listen(t.app);
    const store = (await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(t.adminKey), payload: validStore() })).json();
    const reader = openStream(port, '/api/v1/stores/stream', t.viewerKey);
    expect((await reader.head).status).toBe(200);
    let received = '';
    reader.socket.on('data', (d: Buffer) => (received += d.toString()));
    const row = t.provisioner.stores.get(store.id);
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 25; j++) t.provisioner.bus.emit('store', row);
      await new Promise((r) => setTimeout(r, 5));
    }
    await expect.poll(() => (received.match(/^event: store$/gm) ?? []).length).toBe(1000);
    expect(reader.socket.destroyed).toBe(false);
  });
});

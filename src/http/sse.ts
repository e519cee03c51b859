import type { FastifyReply, FastifyRequest } from 'fastify';

/** An open Server-Sent Events response. */
export interface SseStream {
  send(event: string, data: unknown, id?: number): void;
  close(): void;
  readonly closed: boolean;
}

/**
 * Takes over the response for Server-Sent Events: writes the headers (keeping the ones hooks set,
 * e.g. helmet's and the request id), sends heartbeat comments, and calls `onClose` once when either
 * side ends the stream.
 */
export function openSse(req: FastifyRequest, reply: FastifyReply, opts: { heartbeatMs: number; onClose: () => void }): SseStream {
  reply.hijack();
  const raw = reply.raw;
  const headers: Record<string, string | number | string[]> = {};
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v as string | number | string[];
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // no proxy buffering in front of us
  });
  raw.write('retry: 3000\n\n');
  let closed = false;
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), opts.heartbeatMs);
  heartbeat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    opts.onClose();
  };
  req.raw.on('close', finish);
  raw.on('close', finish);
  return {
    get closed() {
      return closed;
    },
    send(event, data, id) {
      if (closed) return;
      raw.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (closed) return;
      raw.end();
      finish();
    },
  };
}

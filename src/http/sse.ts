import type { FastifyReply, FastifyRequest } from 'fastify';

/** An open Server-Sent Events response. */
export interface SseStream {
  send(event: string, data: unknown, id?: number): void;
  close(): void;
  readonly closed: boolean;
  /** The API key that opened it (streams are capped per key). */
  readonly keyId: string;
}

export interface SseOptions {
  readonly heartbeatMs: number;
  /** The API key the stream counts against. */
  readonly keyId: string;
  /**
   * Bytes that may wait unsent for a client that does not read; one more and the stream is closed
   * rather than buffered without bound (the client reconnects and resumes with Last-Event-ID).
   */
  readonly maxBufferedBytes: number;
  readonly onClose: () => void;
}

/**
 * Takes over the response for Server-Sent Events: writes the headers (keeping the ones hooks set,
 * e.g. helmet's and the request id), sends heartbeat comments, and calls `onClose` once when either
 * side ends the stream.
 */
export function openSse(req: FastifyRequest, reply: FastifyReply, opts: SseOptions): SseStream {
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
  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    opts.onClose();
  };
  const write = (chunk: string): void => {
    if (closed) return;
    raw.write(chunk);
    // writableLength counts what the socket has not handed to the kernel yet: the client is not reading
    if (raw.writableLength > opts.maxBufferedBytes) {
      req.log.warn({ buffered: raw.writableLength }, 'Closing an event stream whose client does not read');
      raw.destroy();
      finish();
    }
  };
  write('retry: 3000\n\n');
  // a heartbeat only keeps an idle stream open: none while earlier writes still wait for the client
  heartbeat = setInterval(() => {
    if (!raw.writableNeedDrain) write(': heartbeat\n\n');
  }, opts.heartbeatMs);
  heartbeat.unref();
  req.raw.on('close', finish);
  raw.on('close', finish);
  return {
    keyId: opts.keyId,
    get closed() {
      return closed;
    },
    send(event, data, id) {
      write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (closed) return;
      raw.end();
      finish();
    },
  };
}

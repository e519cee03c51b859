import net from 'node:net';
import type { FastifyInstance } from 'fastify';

// HTTP over a raw socket, for what fetch and inject cannot send or see: malformed requests, bodies that
// trickle, and whether the server closes the connection.

/** Listens on a free loopback port; returns the port. */
export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as net.AddressInfo).port;
}

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> | undefined;
  /** Milliseconds from connecting to the first byte of the answer (undefined without one). */
  readonly answeredAfterMs: number | undefined;
  /** Milliseconds from connecting until the server closed the connection (undefined: still open at the end). */
  readonly closedAfterMs: number | undefined;
}

export interface RawOptions {
  /** After `head`, one byte of this every `trickleEveryMs` until the socket closes or `waitMs` pass. */
  readonly trickle?: string;
  readonly trickleEveryMs?: number;
  /** How long to wait for the answer, or with `untilClosed` for the server to close the connection. @default 3000 */
  readonly waitMs?: number;
  /** Wait for the server to close the connection, not only for a whole answer. @default false */
  readonly untilClosed?: boolean;
}

/** Status, headers and body of an answer's text. */
export function parseRaw(text: string): Pick<RawResponse, 'status' | 'headers' | 'body' | 'json'> {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', json: undefined };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = text.slice(end + 4);
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body, json };
}

/** Whether `text` holds a whole answer with a Content-Length. */
function complete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  const length = /^content-length: *(\d+)/im.exec(text.slice(0, end))?.[1];
  return end >= 0 && length !== undefined && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length);
}

/**
 * Sends `head` (and a trickle, if asked) and collects the answer until it is whole (or with
 * `untilClosed`, until the server closes the connection) or `waitMs` pass; the socket is then destroyed.
 */
export function rawRequest(port: number, head: string, opts: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let text = '';
    let answeredAfterMs: number | undefined;
    let trickle: NodeJS.Timeout | undefined;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(head);
      if (opts.trickle !== undefined) {
        let i = 0;
        trickle = setInterval(() => {
          if (!socket.destroyed && socket.writable) socket.write(opts.trickle![i++ % opts.trickle!.length]!);
        }, opts.trickleEveryMs ?? 50);
      }
    });
    const done = (closedAfterMs: number | undefined) => {
      clearInterval(trickle);
      clearTimeout(wait);
      socket.destroy();
      resolve({ ...parseRaw(text), answeredAfterMs, closedAfterMs });
    };
    const wait = setTimeout(() => done(undefined), opts.waitMs ?? 3000);
    socket.on('data', (d: Buffer) => {
      answeredAfterMs ??= Date.now() - t0;
      text += d.toString('latin1');
      if (opts.untilClosed !== true && complete(text)) done(undefined);
    });
    socket.on('error', () => undefined); // a reset is a close too
    socket.on('close', () => done(Date.now() - t0));
  });
}

/** A request head: `METHOD path HTTP/1.1`, the headers, and the blank line. */
export function head(method: string, path: string, headers: Record<string, string | number> = {}): string {
  const lines = Object.entries({ host: 'platform.test', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

import { EventSourceParserStream } from 'eventsource-parser/stream';
import { OWNER_HEADER, toApiError } from './client';

// EventSource cannot send an Authorization header, so the dashboard reads Server-Sent Events
// over fetch: the body is decoded and split into events by eventsource-parser.

export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

export interface SseRequest {
  readonly url: string;
  readonly apiKey: string;
  /** X-Owner: the owner a platform admin acts for. */
  readonly owner?: string | undefined;
  readonly signal: AbortSignal;
  readonly lastEventId?: string | undefined;
  readonly onMessage: (msg: SseMessage) => void;
  /** Called once the response headers arrived with 200. */
  readonly onOpen?: () => void;
}

/** Reads one stream until the server ends it; rejects with ApiError on a non-2xx answer. */
export async function readSse(req: SseRequest): Promise<void> {
  const headers: Record<string, string> = { authorization: `Bearer ${req.apiKey}`, accept: 'text/event-stream' };
  if (req.lastEventId !== undefined) headers['last-event-id'] = req.lastEventId;
  if (req.owner !== undefined) headers[OWNER_HEADER] = req.owner;
  const res = await fetch(req.url, { headers, signal: req.signal, cache: 'no-store' });
  if (!res.ok || res.body === null) {
    throw toApiError(res.status, await res.json().catch(() => undefined), res.statusText);
  }
  req.onOpen?.();
  const reader = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      req.onMessage({ event: value.event ?? 'message', data: value.data, id: value.id });
    }
  } finally {
    reader.releaseLock();
  }
}

export interface FollowOptions extends Omit<SseRequest, 'lastEventId' | 'signal'> {
  /** Reconnect after the server ended the stream normally (false for streams with an end). */
  readonly reconnectOnEnd: () => boolean;
  /** Called on every (re)connect after the first, e.g. to refetch what may have been missed. */
  readonly onReconnect?: () => void;
  readonly onError?: (err: unknown) => void;
  /** Gives up on these HTTP statuses (e.g. 401, 404). */
  readonly fatal?: (status: number) => boolean;
}

/** Follows a stream, reconnecting with backoff (resuming at the last event id); returns stop(). */
export function followSse(opts: FollowOptions): () => void {
  const ctl = new AbortController();
  let lastEventId: string | undefined;
  let delay = 1000;
  void (async () => {
    for (let attempt = 0; !ctl.signal.aborted; attempt++) {
      try {
        await readSse({
          ...opts,
          signal: ctl.signal,
          lastEventId,
          onOpen: () => {
            delay = 1000;
            if (attempt > 0) opts.onReconnect?.();
            opts.onOpen?.();
          },
          onMessage: (msg) => {
            if (msg.id !== undefined) lastEventId = msg.id;
            opts.onMessage(msg);
          },
        });
        if (!opts.reconnectOnEnd()) return;
      } catch (err) {
        if (ctl.signal.aborted) return;
        const status = (err as { status?: number }).status;
        opts.onError?.(err);
        if (status !== undefined && status > 0 && (opts.fatal?.(status) ?? false)) return;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15_000);
    }
  })();
  return () => ctl.abort();
}

import { Agent, request } from 'node:http';
import { sleep, summarize, type Summary } from './stats.js';

export interface PacedResult {
  readonly requests: number;
  readonly rps: number;
  /** From each request's scheduled start (so a stalled server is not hidden by coordinated omission). */
  readonly latencyMs: Summary;
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * Open-loop load at a fixed rate: request i is due at t0 + i/rate whether or not earlier ones have
 * answered, over at most `connections` keep-alive sockets. autocannon's own rate limit sends each
 * second's quota in a burst, which measures queueing behind the burst rather than the server.
 */
export async function pacedLoad(opts: {
  url: string;
  headers: Record<string, string>;
  rate: number;
  durationSeconds: number;
  connections: number;
  path: (i: number) => string;
  /** Stops sending once aborted (the duration is then an upper bound). */
  signal?: AbortSignal;
}): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const base = new URL(opts.url);
  const total = Math.round(opts.rate * opts.durationSeconds);
  const interval = 1000 / opts.rate;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total && !opts.signal?.aborted; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(
      new Promise<void>((resolve) => {
        const req = request(
          { agent, host: base.hostname, port: base.port, path: opts.path(i), method: 'GET', headers: opts.headers },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - due);
              if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) non2xx++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end();
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { requests: latencies.length, rps: latencies.length / elapsed, latencyMs: summarize(latencies), non2xx, errors };
}

// Preloaded into the platform process by the benchmark only (node --import): samples event-loop
// delay with perf_hooks and answers the parent's IPC requests. Nothing of it ships with the platform.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
let elu = performance.eventLoopUtilization();

// the histogram records the time between timer ticks (resolution + delay); report the delay alone
const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

if (process.send) {
  process.on('message', (msg) => {
    if (!msg || typeof msg !== 'object' || msg.type !== 'bench:stats') return;
    // --expose-gc is set by the benchmark only: "heap after GC" separates what is retained from garbage
    if (msg.gc && typeof globalThis.gc === 'function') globalThis.gc();
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, elu);
    const mem = process.memoryUsage();
    process.send({
      type: 'bench:stats',
      id: msg.id,
      lagMs: {
        min: ms(histogram.min), mean: Math.max(0, histogram.mean / 1e6 - RESOLUTION_MS), p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)), max: ms(histogram.max), samples: histogram.count,
      },
      eventLoopUtilization: window.utilization,
      memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external, arrayBuffers: mem.arrayBuffers },
    });
    if (msg.reset) {
      histogram.reset();
      elu = now;
    }
  });
  // the IPC channel must not keep the platform alive on shutdown
  process.channel?.unref();
  // the benchmark died without stopping us: shut down the way an orchestrator would
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

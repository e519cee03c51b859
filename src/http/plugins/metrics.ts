import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { STORE_STATUSES } from '../../db/schema.js';
import type { ProvisionerPort, StoreEventRow } from '../ports.js';
import type { Queries } from '../queries.js';
import type { OwnersRepo } from '../../db/repos/owners-repo.js';
import type { BackupRow } from '../../db/repos/backups-repo.js';

export interface MetricsPluginOptions {
  readonly provisioner: ProvisionerPort;
  readonly queries: Queries;
  readonly owners: OwnersRepo;
  readonly kubeRequestCounts?: () => Readonly<Record<string, number>>;
  readonly kubeWatches?: () => Readonly<Record<string, boolean>>;
}

/** Prometheus metrics on a registry of this app's own (no global state, so tests can build many apps). */
export default fp<MetricsPluginOptions>(
  async (app, opts) => {
    const register = new Registry();
    collectDefaultMetrics({ register, prefix: 'store_platform_' });

    const stepDuration = new Histogram({
      name: 'store_platform_provisioning_step_duration_seconds',
      help: 'Duration of provisioning steps, by step and outcome',
      labelNames: ['step', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [register],
    });
    const failures = new Counter({
      name: 'store_platform_provisioning_failures_total',
      help: 'Provisioning steps that failed, by step',
      labelNames: ['step'] as const,
      registers: [register],
    });
    new Gauge({
      name: 'store_platform_stores',
      help: 'Stores by status',
      labelNames: ['status'] as const,
      registers: [register],
      collect() {
        const counts = opts.queries.countByStatus();
        for (const status of STORE_STATUSES) this.set({ status }, counts[status] ?? 0);
      },
    });
    new Gauge({
      name: 'store_platform_owner_stores',
      help: 'Stores by owner and status (for usage and billing; never used for authorization)',
      labelNames: ['owner', 'status'] as const,
      registers: [register],
      collect() {
        this.reset(); // an owner deleted since the last scrape must not linger
        for (const { ownerId, status, n } of opts.owners.countByOwnerAndStatus()) this.set({ owner: ownerId, status }, n);
      },
    });
    new Gauge({
      name: 'store_platform_queue_depth',
      help: 'Stores waiting for or under reconciliation',
      registers: [register],
      collect() {
        this.set(opts.provisioner.queueDepth());
      },
    });
    const kubeRequestsSeen = new Map<string, number>();
    new Counter({
      name: 'store_platform_kube_requests_total',
      help: 'Requests sent to the Kubernetes API server, by HTTP method (retries included)',
      labelNames: ['method'] as const,
      registers: [register],
      collect() {
        for (const [method, sent] of Object.entries(opts.kubeRequestCounts?.() ?? {})) {
          this.inc({ method }, sent - (kubeRequestsSeen.get(method) ?? 0));
          kubeRequestsSeen.set(method, sent);
        }
      },
    });
    new Gauge({
      name: 'store_platform_kube_watch_up',
      help: 'Whether the watch on a kind the readiness waits use is listed and connected (1) or down, its waits polling (0)',
      labelNames: ['kind'] as const,
      registers: [register],
      collect() {
        for (const [kind, up] of Object.entries(opts.kubeWatches?.() ?? {})) this.set({ kind }, up ? 1 : 0);
      },
    });
    const backupDuration = new Histogram({
      name: 'store_platform_backup_duration_seconds',
      help: 'Duration of finished backups, by engine, kind and outcome',
      labelNames: ['engine', 'kind', 'outcome'] as const,
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [register],
    });
    const backupSize = new Histogram({
      name: 'store_platform_backup_size_bytes',
      help: 'Size of succeeded backups (dump plus files), by engine',
      labelNames: ['engine'] as const,
      buckets: [1e5, 1e6, 1e7, 1e8, 1e9, 1e10],
      registers: [register],
    });
    const backupFailures = new Counter({
      name: 'store_platform_backup_failures_total',
      help: 'Backups that failed, by kind and step',
      labelNames: ['kind', 'step'] as const,
      registers: [register],
    });
    new Gauge({
      name: 'store_platform_backup_last_success_timestamp_seconds',
      help: 'When each store\'s latest backup succeeded (Unix time); alert on its age',
      labelNames: ['store'] as const,
      registers: [register],
      collect() {
        this.reset();
        for (const { slug, at } of opts.queries.lastBackupSuccess()) this.set({ store: slug }, at / 1000);
      },
    });
    const upgrades = new Counter({
      name: 'store_platform_upgrades_total',
      help: 'Store upgrades that ended, by outcome: upgraded, failed (then rolled back or refused), rollback-failed',
      labelNames: ['outcome'] as const,
      registers: [register],
    });
    new Gauge({
      name: 'store_platform_rollout_stores',
      help: 'Stores of each open (Running, Paused or Halted) rollout, by their status in it',
      labelNames: ['rollout', 'rollout_status', 'status'] as const,
      registers: [register],
      collect() {
        this.reset(); // a rollout that ended since the last scrape must not linger
        for (const r of opts.provisioner.listRollouts(100)) {
          if (r.status !== 'Running' && r.status !== 'Paused' && r.status !== 'Halted') continue;
          const counts = new Map<string, number>();
          for (const m of opts.provisioner.rollout(r.id).stores) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
          for (const [status, n] of counts) this.set({ rollout: r.id, rollout_status: r.status, status }, n);
        }
      },
    });
    const http = new Histogram({
      name: 'store_platform_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [register],
    });

    const onEvent = (ev: StoreEventRow) => {
      if (ev.phase !== 'succeeded' && ev.phase !== 'failed') return;
      if (ev.step === 'backup' || ev.step === 'restore') return; // not provisioning: the backup metrics count them
      if (ev.step === 'upgrade' || ev.step === 'upgrade-rollback') {
        if (ev.step === 'upgrade') upgrades.inc({ outcome: ev.phase === 'succeeded' ? 'upgraded' : 'failed' });
        else if (ev.phase === 'failed') upgrades.inc({ outcome: 'rollback-failed' });
        return;
      }
      if (ev.durationMs !== null) stepDuration.observe({ step: ev.step, outcome: ev.phase }, ev.durationMs / 1000);
      if (ev.phase === 'failed') failures.inc({ step: ev.step });
    };
    const onBackup = (b: BackupRow) => {
      const outcome = b.status === 'Succeeded' ? 'succeeded' : 'failed';
      if (b.durationMs !== null) backupDuration.observe({ engine: b.engine, kind: b.kind, outcome }, b.durationMs / 1000);
      if (outcome === 'succeeded' && b.sizeBytes !== null) backupSize.observe({ engine: b.engine }, b.sizeBytes);
      if (outcome === 'failed') backupFailures.inc({ kind: b.kind, step: b.errorStep ?? 'backup' });
    };
    opts.provisioner.bus.on('event', onEvent);
    opts.provisioner.bus.on('backup', onBackup);
    app.addHook('onClose', async () => {
      opts.provisioner.bus.off('event', onEvent);
      opts.provisioner.bus.off('backup', onBackup);
    });

    app.addHook('onResponse', async (req, reply) => {
      // SSE streams are long-lived by design: their duration is not latency
      if (reply.sent && req.routeOptions.config.sse === true) return;
      http.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    app.get(
      '/metrics',
      {
        schema: {
          tags: ['system'],
          summary: 'Prometheus metrics',
          security: [],
          response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
        },
        config: { rateLimit: false },
      },
      async (_req, reply) => reply.type(register.contentType).send(await register.metrics()),
    );
  },
  { name: 'metrics' },
);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A Server-Sent Events route. */
    sse?: boolean;
  }
}

import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { buildApp } from '../../../src/app.js';
import { createApiKey } from '../../../src/auth/api-keys.js';
import { defaultConfig, type Config } from '../../../src/config.js';
import { openDb, type Db } from '../../../src/db/client.js';
import { ApiKeysRepo } from '../../../src/db/repos/api-keys-repo.js';
import { AuditRepo } from '../../../src/db/repos/audit-repo.js';
import { BackupsRepo, type BackupRow, type RestoreRow } from '../../../src/db/repos/backups-repo.js';
import { EventsRepo } from '../../../src/db/repos/events-repo.js';
import { OwnersRepo } from '../../../src/db/repos/owners-repo.js';
import { StoresRepo, type StorePatch } from '../../../src/db/repos/stores-repo.js';
import { ownerGuard } from '../../../src/provisioner/owner-limits.js';
import { customDomainViolation, engineAvailable, storeHost, type HostPolicy } from '../../../constructs/index.js';
import { RolloutsRepo, type RolloutRow, type RolloutStoreRow } from '../../../src/db/repos/rollouts-repo.js';
import { createLogger } from '../../../src/logger.js';
import { RolloutRunner, type RolloutRequest } from '../../../src/provisioner/rollouts.js';
import { BackupsNotConfiguredError, DomainNotAllowedError, EngineUnavailableError, IllegalTransitionError, VersionNotAllowedError } from '../../../src/errors.js';
import type { ProvisionerPort, StoreRow } from '../../../src/http/ports.js';
import { StoreBus } from '../../../src/provisioner/bus.js';
import { statusAfter, undeleteStatus } from '../../../src/provisioner/status.js';
import type { NewStoreInput } from '../../../src/http/schemas/stores.js';

/** The host policy the fake engine applies, like the Provisioner does with the platform settings. */
export const TEST_HOST_POLICY: HostPolicy = { baseDomain: '127.0.0.1.nip.io', platformHost: 'platform.example.com' };

/**
 * A stand-in for the engine in unit tests of the HTTP layer: it writes rows with the engine's own
 * repositories and lets a test drive the timeline. The integration tests use the real Provisioner.
 */
/** The fake's release catalogue: every store starts on the base release, and 2.0 is reachable from it. */
export const FAKE_BASE_RELEASE = '1.0';
export const FAKE_UPGRADE_PATHS: Readonly<Record<string, readonly string[]>> = { '2.0': ['1.0'] };

export class FakeProvisioner implements ProvisionerPort {
  public readonly bus = new StoreBus();
  public readonly stores: StoresRepo;
  public readonly events: EventsRepo;
  public readonly owners: OwnersRepo;
  public readonly backups: BackupsRepo;
  public readonly rolloutsRepo: RolloutsRepo;
  public readonly calls: string[] = [];
  /** Test driver: creates wait for this before they write (to hold a request in flight). */
  public createGate: Promise<void> = Promise.resolve();
  /** Test driver: a create fails right after its transaction commits, as if the process died there. */
  public failAfterInsert = false;

  public constructor(db: Db, private readonly maxStores = Number.POSITIVE_INFINITY) {
    this.stores = new StoresRepo(db);
    this.events = new EventsRepo(db);
    this.owners = new OwnersRepo(db);
    this.backups = new BackupsRepo(db);
    this.rolloutsRepo = new RolloutsRepo(db);
    this.rollouts = new RolloutRunner({
      rollouts: this.rolloutsRepo, stores: this.stores, bus: this.bus, log: createLogger('silent'),
      releaseOf: (row) => this.releaseOf(row),
      upgradeProblem: (engine, from, to) => ((FAKE_UPGRADE_PATHS[to] ?? []).includes(from) ? undefined : `${engine} ${to} cannot be reached from ${from}`),
      upgrade: (storeId, version, actor) => this.upgrade(storeId, version, { actor }),
    });
  }

  public async create(spec: NewStoreInput, opts: { actor: string; ownerId: string; onInsert?: (row: StoreRow) => void }): Promise<StoreRow> {
    this.calls.push(`create ${spec.name}`);
    await this.createGate;
    if (!engineAvailable(spec.engine)) throw new EngineUnavailableError(`engine '${spec.engine}' is not available yet`);
    const refused = customDomainViolation(spec, TEST_HOST_POLICY);
    if (refused !== undefined) throw new DomainNotAllowedError(refused);
    const now = new Date();
    const row = this.stores.insertWithinLimit({
      id: `st-${randomBytes(5).toString('hex')}`,
      ownerId: opts.ownerId,
      slug: spec.name,
      title: spec.title,
      engine: spec.engine,
      plan: spec.plan,
      adminEmail: spec.adminEmail,
      customDomain: spec.customDomain ?? null,
      host: storeHost(spec, TEST_HOST_POLICY),
      currency: spec.currency,
      status: 'Pending',
      storeUrl: `http://${spec.name}.127.0.0.1.nip.io`,
      adminUrl: `http://${spec.name}.127.0.0.1.nip.io/wp-admin/`,
      teardownOnFailure: spec.teardownOnFailure ?? false,
      createdBy: opts.actor,
      createdAt: now,
      updatedAt: now,
    }, this.maxStores, ownerGuard(this.owners, opts.ownerId, spec), opts.onInsert);
    if (this.failAfterInsert) throw new Error('crashed after the insert');
    this.bus.emit('store', row);
    return row;
  }

  /** A Ready or Suspended store is soft-deleted for a day unless purged now, as with an undelete window. */
  public async delete(id: string, opts?: { actor: string; skipFinalBackup?: boolean; purgeNow?: boolean }): Promise<StoreRow> {
    this.calls.push(`delete ${id}${opts?.skipFinalBackup ? ' skipFinalBackup' : ''}${opts?.purgeNow ? ' purgeNow' : ''}`);
    const { status } = this.stores.get(id);
    const soft = !opts?.purgeNow && (status === 'Ready' || status === 'Suspended');
    return this.setStatus(id, 'Deleting', soft ? { purgeAt: new Date(Date.now() + 86_400_000), undeleteTo: status } : { purgeAt: null, undeleteTo: null });
  }

  public async undelete(id: string): Promise<StoreRow> {
    this.calls.push(`undelete ${id}`);
    return this.setStatus(id, undeleteStatus(this.stores.get(id), new Date()), { purgeAt: null, undeleteTo: null });
  }

  /** Test driver: false answers BACKUPS_NOT_CONFIGURED, as a platform without a target does. */
  public backupsEnabled = false;

  public async backup(id: string, opts: { actor: string }): Promise<BackupRow> {
    this.calls.push(`backup ${id}`);
    if (!this.backupsEnabled) throw new BackupsNotConfiguredError('backups are not configured on this platform (BACKUP_S3_ENDPOINT is unset)');
    const store = this.stores.get(id);
    return this.backups.insertUnlessBusy({
      id: `b-${randomBytes(4).toString('hex')}`, storeId: id, slug: store.slug, engine: store.engine, kind: 'on-demand', status: 'Pending',
      createdBy: opts.actor, createdAt: new Date(),
    })!;
  }

  public async restore(id: string, backupId: string, opts: { actor: string }): Promise<RestoreRow> {
    this.calls.push(`restore ${id} ${backupId}`);
    if (!this.backupsEnabled) throw new BackupsNotConfiguredError('backups are not configured on this platform (BACKUP_S3_ENDPOINT is unset)');
    return this.backups.insertRestoreUnlessBusy({ id: `r-${randomBytes(4).toString('hex')}`, storeId: id, backupId, status: 'Pending', createdBy: opts.actor, createdAt: new Date() })!;
  }

  public async createFromBackup(backupId: string, spec: NewStoreInput, opts: { actor: string; ownerId: string }): Promise<StoreRow> {
    this.calls.push(`createFromBackup ${backupId} ${spec.name} ${spec.engine} ${spec.plan}`);
    if (!this.backupsEnabled) throw new BackupsNotConfiguredError('backups are not configured on this platform (BACKUP_S3_ENDPOINT is unset)');
    return this.create(spec, opts);
  }

  public async retry(id: string): Promise<StoreRow> {
    this.calls.push(`retry ${id}`);
    const row = this.stores.get(id);
    if (row.status !== 'Failed') throw new IllegalTransitionError(`store '${id}' is ${row.status}, only a Failed store can be retried`);
    return this.setStatus(id, 'Pending');
  }

  /** Like the engine: asks the one status machine, so the API's 409s are the real ones. */
  public async suspend(id: string): Promise<StoreRow> {
    this.calls.push(`suspend ${id}`);
    const row = this.stores.get(id);
    const to = statusAfter('suspend', row.status);
    return to === row.status ? row : this.setStatus(id, to);
  }

  public async resume(id: string): Promise<StoreRow> {
    this.calls.push(`resume ${id}`);
    const row = this.stores.get(id);
    const to = statusAfter('resume', row.status);
    return to === row.status ? row : this.setStatus(id, to);
  }

  public async upgrade(id: string, version: string, opts: { actor: string; skipBackup?: boolean }): Promise<StoreRow> {
    this.calls.push(`upgrade ${id} ${version}${opts.skipBackup ? ' skipBackup' : ''}`);
    const row = this.stores.get(id);
    if (row.status === 'Upgrading' && row.release === version) return row;
    statusAfter('upgrade', row.status);
    const from = this.releaseOf(row);
    if (!(FAKE_UPGRADE_PATHS[version] ?? []).includes(from)) throw new VersionNotAllowedError(`${row.engine} ${version} cannot be reached from ${from}`);
    return this.setStatus(id, 'Upgrading', { release: version, upgradeFrom: from });
  }

  /** The real rollout runner over the fake's stores and upgrades (ticked by the tests, never by a timer). */
  public readonly rollouts: RolloutRunner;

  public startRollout(req: RolloutRequest, actor: string): RolloutRow {
    if (!Object.hasOwn(FAKE_UPGRADE_PATHS, req.version) && req.version !== FAKE_BASE_RELEASE) throw new VersionNotAllowedError(`release '${req.version}' is not in the catalogue`);
    return this.rollouts.create(req, actor);
  }

  public rollout(id: string): { rollout: RolloutRow; stores: RolloutStoreRow[] } {
    return { rollout: this.rolloutsRepo.get(id), stores: this.rolloutsRepo.stores(id) };
  }

  public listRollouts(limit: number): RolloutRow[] {
    return this.rolloutsRepo.list(limit);
  }

  public rolloutAction(id: string, action: 'pause' | 'resume' | 'abort', actor: string): RolloutRow {
    return action === 'pause' ? this.rollouts.pause(id, actor) : action === 'resume' ? this.rollouts.resume(id, actor) : this.rollouts.abort(id, actor);
  }

  public releaseOf(row: Pick<StoreRow, 'release'>): string {
    return row.release ?? FAKE_BASE_RELEASE;
  }

  public async changePlan(id: string, plan: StoreRow['plan']): Promise<StoreRow> {
    this.calls.push(`plan ${id} ${plan}`);
    const row = this.stores.get(id);
    if (row.status !== 'Ready') throw new IllegalTransitionError(`only a Ready store can change plan (status is ${row.status})`);
    return this.setStatus(id, 'Provisioning');
  }

  public async restart(id: string, component: string | undefined) {
    this.calls.push(`restart ${id} ${component ?? '*'}`);
    return { storeId: id, restarted: component ? [component] : ['mysql', 'wordpress'] };
  }

  public async resetAdminPassword(id: string) {
    this.calls.push(`reset ${id}`);
    return { storeId: id, username: 'admin', password: 'n3w-Passw0rd-shown-once' };
  }

  public async health(id: string) {
    return {
      storeId: id,
      pods: [{ name: 'wordpress-abc', component: 'wordpress', phase: 'Running', ready: true, restarts: 0, lastTermination: null, ageSeconds: 42 }],
      pvcs: [{ name: 'wp-content', phase: 'Bound', size: '2Gi' }],
      quota: [{ resource: 'requests.cpu', used: '600m', hard: '2' }],
      mail: { status: 'off' as const, relay: null, from: null, detail: 'no SMTP relay is configured (SMTP_HOST)' },
    };
  }

  public async logs(id: string, opts: { component: string | undefined; tail: number }) {
    return { storeId: id, entries: [{ pod: 'wordpress-abc', container: opts.component ?? 'wordpress', lines: ['line 1'] }] };
  }

  public async credentials(id: string) {
    this.calls.push(`credentials ${id}`);
    return { storeId: id, adminUrl: 'http://x/wp-admin/', username: 'admin', password: 's3cret-from-the-secret' };
  }

  public queueDepth(): number {
    return 0;
  }

  public queuePosition(): number | undefined {
    return undefined;
  }

  /** Test driver: moves a store and announces it like the engine does. */
  public setStatus(id: string, status: StoreRow['status'], patch: StorePatch = {}): StoreRow {
    const row = this.stores.get(id);
    const next = this.stores.update(id, row.version, status, patch);
    this.bus.emit('store', next);
    return next;
  }

  /** Test driver: appends a timeline entry and announces it. */
  public step(storeId: string, step: string, phase: 'started' | 'succeeded' | 'failed', durationMs?: number) {
    const ev = this.events.append({ storeId, step, phase, message: `${step} ${phase}`, ...(durationMs !== undefined ? { durationMs } : {}) });
    this.bus.emit('event', ev);
    return ev;
  }
}

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  db: Db;
  provisioner: FakeProvisioner;
  adminKey: string;
  adminKeyId: string;
  viewerKey: string;
  kubeUp: { value: boolean };
}

export const validStore = (over: Record<string, unknown> = {}) => ({
  name: 'acme-shop',
  engine: 'woocommerce',
  plan: 'small',
  adminEmail: 'owner@acme.test',
  title: 'Acme',
  currency: 'EUR',
  ...over,
});

export async function makeApp(
  config: Partial<Config> = {},
  opts: { webDir?: string; db?: Db; kubeRequestCounts?: () => Readonly<Record<string, number>>; kubeWatches?: () => Readonly<Record<string, boolean>> } = {},
): Promise<TestApp> {
  const db = opts.db ?? openDb(':memory:');
  const cfg = defaultConfig({ LOG_LEVEL: 'silent', ...config });
  const provisioner = new FakeProvisioner(db, cfg.MAX_STORES);
  const keys = new ApiKeysRepo(db);
  const admin = createApiKey(keys, { role: 'admin', name: 'test admin' });
  const viewer = createApiKey(keys, { role: 'viewer', name: 'test viewer', ownerId: 'default' });
  const kubeUp = { value: true };
  const audit = new AuditRepo(db);
  const app = await buildApp({
    config: cfg,
    log: pino({ level: 'silent' }),
    db,
    provisioner,
    readiness: {
      pingKubernetes: async () => {
        if (!kubeUp.value) throw new Error('connect ECONNREFUSED');
      },
    },
    audit: { record: (e) => void audit.record(e) },
    version: '0.0.0-test',
    ...(opts.webDir !== undefined ? { webDir: opts.webDir } : {}),
    ...(opts.kubeRequestCounts ? { kubeRequestCounts: opts.kubeRequestCounts } : {}),
    ...(opts.kubeWatches ? { kubeWatches: opts.kubeWatches } : {}),
  });
  await app.ready();
  return { app, db, provisioner, adminKey: admin.key, adminKeyId: admin.id, viewerKey: viewer.key, kubeUp };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Creates a store through the API with `key` and moves the fake engine's row on to Ready; answers its id. */
export async function createReadyStore(t: TestApp, key: string, name: string): Promise<string> {
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: bearer(key), payload: validStore({ name }) });
  if (created.statusCode !== 202) throw new Error(`create ${name}: ${created.statusCode} ${created.body}`);
  const id = created.json().id as string;
  t.provisioner.setStatus(id, 'Provisioning');
  t.provisioner.setStatus(id, 'Ready');
  return id;
}

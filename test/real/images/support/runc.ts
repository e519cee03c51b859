/**
 * Runs a stand-in image the way a kubelet would, without Kubernetes: the archive's layers unpacked
 * once (umoci), an overlay per container on top, and runc with the pod-like settings the store
 * constructs ask for (a uid/gid, every capability dropped, no new privileges, optionally a
 * read-only root, volumes as bind mounts, a private network namespace shared like a pod's).
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one container of a pod looks like to the image: the fields the constructs set. */
export interface ContainerSpec {
  /** Replaces the image's entrypoint (Kubernetes `command`). */
  readonly command?: readonly string[];
  /** Replaces the image's cmd (Kubernetes `args`). */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** runAsUser/runAsGroup; fsGroup becomes a supplementary group. @default - the image's user */
  readonly user?: { readonly uid: number; readonly gid: number; readonly fsGroup?: number };
  readonly workingDir?: string;
  readonly readOnlyRootFilesystem?: boolean;
  /** Host directories bind-mounted into the container (volumes, ConfigMap files as subPath). */
  readonly mounts?: readonly { readonly source: string; readonly destination: string; readonly readOnly?: boolean }[];
  /** emptyDir volumes: fresh host directories with the kubelet's mode 0777, bind-mounted. */
  readonly emptyDirs?: readonly string[];
  /** Extra /etc/hosts names for 127.0.0.1 (what a Service name resolves to, when its pod shares the network). */
  readonly loopbackNames?: readonly string[];
  /** Join this container's network namespace, as the containers of one pod do. */
  readonly podOf?: Container;
}

interface ImageConfig {
  readonly User?: string;
  readonly Env?: string[];
  readonly Entrypoint?: string[] | null;
  readonly Cmd?: string[] | null;
  readonly WorkingDir?: string;
}

/** An image archive unpacked once; containers start from overlays on top of it. */
export class UnpackedImage {
  private constructor(
    public readonly ref: string,
    private readonly dir: string,
    public readonly config: ImageConfig,
  ) {}

  public static async unpack(archive: string, ref: string): Promise<UnpackedImage> {
    const dir = mkdtempSync(join(tmpdir(), 'stand-in-'));
    mkdirSync(join(dir, 'layout'));
    await run('tar', ['-xf', archive, '-C', join(dir, 'layout')]);
    await run('umoci', ['unpack', '--image', `${dir}/layout:${ref}`, `${dir}/bundle`]);
    const index = JSON.parse(readFileSync(join(dir, 'layout', 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const blob = (digest: string) => JSON.parse(readFileSync(join(dir, 'layout', 'blobs', ...digest.split(':')), 'utf8'));
    const manifest = blob(index.manifests[0]!.digest) as { config: { digest: string } };
    const config = (blob(manifest.config.digest) as { config: ImageConfig }).config;
    return new UnpackedImage(ref, dir, config);
  }

  /** The runtime spec umoci derived from the image (namespaces, default mounts). */
  public baseSpec(): Record<string, unknown> {
    return JSON.parse(readFileSync(join(this.dir, 'bundle', 'config.json'), 'utf8')) as Record<string, unknown>;
  }

  public get rootfs(): string {
    return join(this.dir, 'bundle', 'rootfs');
  }

  public async remove(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let counter = 0;

/** A running (or exited) container. */
export class Container {
  private constructor(
    public readonly id: string,
    public readonly pid: number,
    private readonly dir: string,
    private readonly spec: Record<string, unknown>,
  ) {}

  /** Starts a container detached; its stdout and stderr go to a log file ({@link logs}). */
  public static async start(image: UnpackedImage, c: ContainerSpec): Promise<Container> {
    const id = `stand-in-${process.pid}-${++counter}`;
    const dir = mkdtempSync(join(tmpdir(), `${id}-`));
    for (const d of ['upper', 'work', 'rootfs']) mkdirSync(join(dir, d));
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${image.rootfs},upperdir=${dir}/upper,workdir=${dir}/work`, `${dir}/rootfs`]);
    // the kubelet gives every pod its own /etc/hosts
    writeFileSync(join(dir, 'hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tstand-in\n' + (c.loopbackNames ?? []).map((n) => `127.0.0.1\t${n}\n`).join(''));
    const emptyDirs = (c.emptyDirs ?? []).map((destination, i) => {
      const source = join(dir, `empty-dir-${i}`);
      mkdirSync(source);
      chmodSync(source, 0o777);
      return { source, destination };
    });
    const spec = containerSpec(image, { ...c, mounts: [...emptyDirs, ...(c.mounts ?? [])] }, `${dir}/rootfs`, join(dir, 'hosts'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
    const log = openSync(join(dir, 'container.log'), 'a');
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn('runc', ['run', '--detach', '--pid-file', join(dir, 'pid'), '--bundle', dir, id], { stdio: ['ignore', log, log] });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`runc run ${id} exited ${code}: ${readFileSync(join(dir, 'container.log'), 'utf8')}`))));
      });
    } finally {
      closeSync(log);
    }
    return new Container(id, Number(readFileSync(join(dir, 'pid'), 'utf8')), dir, spec);
  }

  /** Runs a process in the container as its user (or `user`), env on top of the container's. */
  public async exec(args: readonly string[], opts: { env?: Record<string, string>; user?: { uid: number; gid: number } } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const process_ = structuredClone(this.spec.process) as Record<string, unknown>;
    process_.args = args;
    process_.terminal = false;
    process_.env = [...(process_.env as string[]), ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)];
    if (opts.user) process_.user = { uid: opts.user.uid, gid: opts.user.gid };
    const file = join(this.dir, `exec-${++counter}.json`);
    writeFileSync(file, JSON.stringify(process_)); // env in a file: nothing secret on a command line
    try {
      const { stdout, stderr } = await run('runc', ['exec', '--process', file, this.id], { maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  /** Runs a host program inside the container's network namespace only (a client on the pod network). */
  public async inNetwork(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run('nsenter', [`--net=/proc/${this.pid}/ns/net`, '--', ...args], { maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  public logs(): string {
    return readFileSync(join(this.dir, 'container.log'), 'utf8');
  }

  /** runc's view: `running`, `stopped`, ... */
  public async status(): Promise<string> {
    const { stdout } = await run('runc', ['state', this.id]);
    return (JSON.parse(stdout) as { status: string }).status;
  }

  /** Sends SIGTERM and waits for the container to stop (SIGKILL after `graceMs`), like a pod deletion. */
  public async stop(graceMs = 30_000): Promise<void> {
    await run('runc', ['kill', this.id, 'TERM']).catch(() => undefined);
    const until = Date.now() + graceMs;
    while (Date.now() < until && (await this.status()) !== 'stopped') await sleep(200);
    if ((await this.status()) !== 'stopped') await run('runc', ['kill', this.id, 'KILL']).catch(() => undefined);
  }

  /** A pod deletion: SIGTERM, the grace period, then the container and its overlay are gone. */
  public async delete(): Promise<void> {
    await this.stop();
    await this.remove();
  }

  /** Removes the container, its overlay and its files. */
  public async remove(): Promise<void> {
    await run('runc', ['delete', '--force', this.id]).catch(() => undefined);
    await run('umount', [`${this.dir}/rootfs`]).catch(() => undefined);
    // never delete through a mount that is still there
    if (readFileSync('/proc/mounts', 'utf8').includes(`${this.dir}/rootfs`)) return;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function containerSpec(image: UnpackedImage, c: ContainerSpec, rootfs: string, hosts: string): Record<string, unknown> {
  const spec = image.baseSpec();
  const cfg = image.config;
  const [uid, gid] = (cfg.User ?? '0:0').split(':').map(Number);
  const user = c.user ?? { uid: uid ?? 0, gid: gid ?? uid ?? 0 };
  const env = new Map((cfg.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  for (const [k, v] of Object.entries(c.env ?? {})) env.set(k, v);
  const entrypoint = c.command ?? cfg.Entrypoint ?? [];
  const cmd = c.args ?? (c.command ? [] : (cfg.Cmd ?? []));
  spec.root = { path: rootfs, readonly: c.readOnlyRootFilesystem ?? false };
  spec.process = {
    terminal: false,
    user: { uid: user.uid, gid: user.gid, ...(c.user?.fsGroup !== undefined ? { additionalGids: [c.user.fsGroup] } : {}) },
    args: [...entrypoint, ...cmd],
    env: [...env].map(([k, v]) => `${k}=${v}`),
    cwd: c.workingDir ?? (cfg.WorkingDir || '/'),
    // Pod Security "restricted": every capability dropped, no privilege escalation
    capabilities: { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] },
    noNewPrivileges: true,
  };
  const defaults = (spec.mounts as { destination: string }[]).filter((m) => ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup'].includes(m.destination));
  spec.mounts = [
    ...defaults,
    { destination: '/etc/hosts', type: 'bind', source: hosts, options: ['rbind', 'ro'] },
    ...(c.mounts ?? []).map((m) => ({ destination: m.destination, type: 'bind', source: m.source, options: ['rbind', m.readOnly ? 'ro' : 'rw'] })),
  ];
  const linux = spec.linux as { namespaces: { type: string; path?: string }[] };
  linux.namespaces = linux.namespaces.map((ns) => (ns.type === 'network' && c.podOf ? { type: 'network', path: `/proc/${c.podOf.pid}/ns/net` } : ns));
  spec.hostname = 'stand-in';
  return spec;
}

/** Runs a one-shot container (a Job's or an init container) to its end; returns its log. */
export async function runToCompletion(image: UnpackedImage, spec: ContainerSpec, timeoutMs = 60_000): Promise<string> {
  const c = await Container.start(image, spec);
  try {
    await waitFor('the container to exit', async () => (await c.status()) === 'stopped', timeoutMs, () => c.logs());
    return c.logs();
  } finally {
    await c.remove();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns true, failing with `what` and the last detail after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean | string>, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: boolean | string = false;
  while (Date.now() < until) {
    last = await probe();
    if (last === true) return;
    await sleep(500);
  }
  throw new Error(`${what} not within ${timeoutMs / 1000} s (${String(last)}) ${detail()}`);
}

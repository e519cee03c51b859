/**
 * A throwaway containerd (its own root, state and socket in a temporary folder, no CRI plugin) to
 * prove an image archive imports the way the real node's runner imports it: `ctr -n k8s.io images
 * import`, unpacked into the overlayfs snapshotter, kept under its localhost/<name>:<tag> name.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './runc.js';

const run = promisify(execFile);

export class ThrowawayContainerd {
  private constructor(
    private readonly dir: string,
    private readonly daemon: ChildProcess,
  ) {}

  public static async start(): Promise<ThrowawayContainerd> {
    const dir = mkdtempSync(join(tmpdir(), 'stand-in-containerd-'));
    const socket = join(dir, 'containerd.sock');
    writeFileSync(
      join(dir, 'config.toml'),
      [
        'version = 2',
        `root = "${dir}/root"`,
        `state = "${dir}/state"`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
        '[grpc]',
        `  address = "${socket}"`,
        '[ttrpc]',
        `  address = "${socket}.ttrpc"`,
        '',
      ].join('\n'),
    );
    const daemon = spawn('containerd', ['--config', join(dir, 'config.toml')], { stdio: 'ignore' });
    const d = new ThrowawayContainerd(dir, daemon);
    await waitFor('containerd socket', async () => existsSync(socket) && (await d.ctr(['version']).then(() => true, () => false)), 30_000);
    return d;
  }

  public async ctr(args: readonly string[]): Promise<string> {
    const { stdout } = await run('ctr', ['--address', join(this.dir, 'containerd.sock'), '--namespace', 'k8s.io', ...args], { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  }

  /** Image names containerd holds. */
  public async images(): Promise<string[]> {
    return (await this.ctr(['images', 'ls', '--quiet'])).split('\n').filter(Boolean);
  }

  public async stop(): Promise<void> {
    if (this.daemon.exitCode === null) {
      const exited = new Promise((resolve) => this.daemon.once('exit', resolve));
      this.daemon.kill('SIGTERM');
      await exited;
    }
    // nothing may stay mounted under the folder before it goes
    const mounts = (await run('cat', ['/proc/mounts'])).stdout.split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(this.dir));
    for (const m of mounts.reverse()) await run('umount', [m]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

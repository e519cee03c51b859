/**
 * Prerequisites of the image contract tests: root, runc, umoci, nsenter, curl, and the image archive
 * (built on demand by infra/images/build.sh, a no-op when cached). A missing one fails the test file
 * with one line naming it; nothing is skipped.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { IMAGES_TOOLING_DIR, type ImageName, type StandInImage, standInImage } from '../../../../infra/images/images.js';
import { type Container, UnpackedImage } from './runc.js';

const run = promisify(execFile);

export function requireHost(tools: readonly string[] = ['runc', 'umoci', 'nsenter', 'curl', 'mount']): void {
  if (process.getuid?.() !== 0) throw new Error('image contract tests need root (runc, mounts, file owners)');
  const missing = tools.filter((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw new Error(`image contract tests need ${missing.join(', ')} on PATH`);
}

/** Builds the image's archive if it is not cached (infra/images/build.sh); returns the image. */
export async function archiveFor(name: ImageName): Promise<StandInImage> {
  requireHost();
  await run('bash', [join(IMAGES_TOOLING_DIR, 'build.sh'), name], { maxBuffer: 16 * 1024 * 1024 }).catch((err: { stderr?: string }) => {
    throw new Error(`infra/images/build.sh ${name} failed: ${err.stderr ?? String(err)}`);
  });
  return standInImage(name);
}

/** The image's archive (built if needed), unpacked for runc. */
export async function imageFor(name: ImageName): Promise<UnpackedImage> {
  const image = await archiveFor(name);
  return UnpackedImage.unpack(image.archive, image.ref);
}

/** Unpacks the image before the suite and removes it after; the getter is valid inside tests. */
export function useImage(name: ImageName): () => UnpackedImage {
  let image: UnpackedImage | undefined;
  beforeAll(async () => {
    image = await imageFor(name);
  });
  afterAll(async () => image?.remove());
  return () => {
    if (!image) throw new Error(`image ${name} was not unpacked`);
    return image;
  };
}

/** Containers and host folders a suite made, removed after it (containers first, newest first). */
export function useCleanup(): { container<T extends Container>(c: T): T; dir(d: string): string } {
  const containers: Container[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const c of containers.reverse()) await c.remove();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    container: (c) => (containers.push(c), c),
    dir: (d) => (dirs.push(d), d),
  };
}

/**
 * A host directory as the kubelet prepares a volume for `fsGroup`: group-owned by it, group-writable,
 * setgid; the container's user does not own it.
 */
export function fsGroupVolume(fsGroup: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'stand-in-volume-'));
  chownSync(dir, 0, fsGroup);
  chmodSync(dir, 0o2775);
  return dir;
}

/** Listening IPv4 TCP sockets in the container's network namespace, as `address:port`. */
export async function listeningSockets(c: Container): Promise<string[]> {
  const table = (await c.exec(['cat', '/proc/net/tcp'])).stdout.trim().split('\n').slice(1);
  return table
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[3] === '0A') // TCP_LISTEN
    .map((f) => {
      const [addr, port] = (f[1] ?? '').split(':') as [string, string];
      const octets = (addr.match(/../g) ?? []).map((h) => parseInt(h, 16)).reverse();
      return `${octets.join('.')}:${parseInt(port, 16)}`;
    });
}

/** An HTTP request from inside a pod's network namespace: status, headers and body. */
export function curlArgs(url: string, extra: readonly string[] = []): string[] {
  return ['curl', '-sS', '--max-time', '20', '-o', '-', '-w', '\n%{http_code}', ...extra, url];
}

export function splitStatus(out: string): { status: number; body: string } {
  const at = out.lastIndexOf('\n');
  return { status: Number(out.slice(at + 1)), body: out.slice(0, at) };
}

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from '../paths.js';

/**
 * Images of the real node's own add-ons (CoreDNS, Traefik, the storage helper): each is a
 * static binary on an empty root, packed with umoci into an OCI archive, cached by name and tag.
 * The pod sandbox and the store workloads' stand-ins (databases, WordPress, Node) are built by infra/images.
 */
export interface AddonImage {
  /** `localhost/<name>:<tag>` once imported. */
  readonly ref: string;
  readonly name: string;
  readonly tag: string;
  readonly archive: string;
}

interface Recipe {
  readonly name: string;
  readonly tag: string;
  /** Files to place in the image: source on the host -> path in the image. */
  readonly files: Record<string, string>;
  /** Extra names that point at one of the files (busybox applets). */
  readonly links?: Record<string, string>;
  readonly entrypoint: readonly string[];
  readonly user: string;
}

// bump the -rN suffix whenever a recipe changes, so every cache rebuilds it
const BUSYBOX_TAG = 'bookworm-1.35-r2';

export function addonImage(name: string, tag: string): AddonImage {
  return { ref: `localhost/${name}:${tag}`, name, tag, archive: join(cacheDir(), 'images', `${name}-${tag}.oci.tar`) };
}

/** busybox with its applets: the storage helper pods (sh, mkdir, rm) and the tests (nc, wget, httpd). */
export const BUSYBOX_IMAGE = addonImage('busybox', BUSYBOX_TAG);

const busyboxApplets = (...names: string[]): Record<string, string> =>
  Object.fromEntries(names.map((n) => [`/bin/${n}`, '/bin/busybox']));

/** Builds (once) the images the real node's add-ons need and returns them. */
export function ensureAddonImages(bins: { coredns: string; traefik: string; versions: { coredns: string; traefik: string } }): AddonImage[] {
  const recipes: Recipe[] = [
    { name: BUSYBOX_IMAGE.name, tag: BUSYBOX_IMAGE.tag, files: { '/bin/busybox': '/bin/busybox' },
      links: busyboxApplets('sh', 'mkdir', 'rm', 'rmdir', 'chmod', 'ls', 'cat', 'echo', 'sleep', 'nc', 'wget', 'httpd', 'nslookup', 'id', 'touch', 'timeout'),
      entrypoint: ['/bin/sh'], user: '0:0' },
    { name: 'coredns', tag: bins.versions.coredns, files: { [bins.coredns]: '/coredns' },
      entrypoint: ['/coredns'], user: '65532:65532' },
    { name: 'traefik', tag: bins.versions.traefik, files: { [bins.traefik]: '/traefik' },
      entrypoint: ['/traefik'], user: '65532:65532' },
  ];
  return recipes.map(build);
}

function build(recipe: Recipe): AddonImage {
  const image = addonImage(recipe.name, recipe.tag);
  if (existsSync(image.archive)) return image;
  mkdirSync(join(cacheDir(), 'images'), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), `image-${recipe.name}-`));
  try {
    const layout = join(work, 'oci');
    const bundle = join(work, 'bundle');
    const ref = `${layout}:${recipe.tag}`;
    const umoci = (...args: string[]): void => void execFileSync('umoci', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    umoci('init', '--layout', layout);
    umoci('new', '--image', ref);
    umoci('unpack', '--image', ref, bundle);
    const root = join(bundle, 'rootfs');
    for (const [from, to] of Object.entries(recipe.files)) {
      mkdirSync(join(root, to, '..'), { recursive: true });
      copyFileSync(from, join(root, to));
      chmodSync(join(root, to), 0o755);
    }
    for (const [link, target] of Object.entries(recipe.links ?? {})) symlinkSync(target, join(root, link));
    mkdirSync(join(root, 'tmp'), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777); // mkdir's mode is cut by the umask
    umoci('repack', '--image', ref, bundle);
    umoci('config', '--image', ref, '--config.user', recipe.user, ...recipe.entrypoint.flatMap((e) => ['--config.entrypoint', e]));
    umoci('gc', '--layout', layout);
    const partial = `${image.archive}.partial`;
    execFileSync('tar', ['-C', layout, '-cf', partial, '.']);
    renameSync(partial, image.archive);
    return image;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The stand-in images infra/images/build.sh makes (names, tags, archive paths), for code that imports
 * them into containerd and points the platform's image overrides at them. Tags come from images.env,
 * the single place they are written; the platform image's tag is its package version plus a digest
 * of its build context, computed exactly as lib/context.sh does.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, REPO_ROOT } from '../cluster/paths.js';

export const IMAGES_TOOLING_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Every image, in build order (build.sh with no names builds them all). */
export const IMAGE_NAMES = ['pause', 'mariadb', 'wordpress', 'wp-cli', 'curl', 'postgres', 'redis', 'busybox', 'backup', 'node', 'store-platform', 'medusa', 'medusa-previous'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/** What each stand-in stands in for (the official image whose contract it honours). */
export const STANDS_IN_FOR: Readonly<Record<ImageName, string>> = {
  pause: 'the Kubernetes pause image (the pod sandbox)',
  mariadb: 'mysql (constructs/mysql.ts)',
  wordpress: 'wordpress:apache (constructs/wordpress.ts)',
  'wp-cli': 'wordpress:cli (constructs/wp-cli.ts); wp itself is a placeholder',
  curl: 'curlimages/curl (constructs/store-check.ts)',
  postgres: 'postgres',
  redis: 'redis',
  busybox: 'busybox (constructs/maintenance.ts: the maintenance responder)',
  backup: 'the backup and restore Jobs\' image (constructs/backup: restic and both engines\' database clients)',
  node: 'node:20-bookworm-slim',
  'store-platform': 'the platform image built from the Dockerfile',
  medusa: 'the Medusa store image built from infra/images/medusa/Dockerfile (constructs/medusa)',
  'medusa-previous': 'the same Medusa store one Medusa release back (infra/images/medusa/previous): where the upgrade test starts',
};

export interface StandInImage {
  readonly name: ImageName;
  readonly tag: string;
  /** `localhost/<name>:<tag>`: what containerd keeps it as (use imagePullPolicy Never or IfNotPresent). */
  readonly ref: string;
  /** The OCI archive `ctr -n k8s.io images import` reads. */
  readonly archive: string;
}

/** Cache folder of the archives: `<cacheDir()>/images`. */
export function imagesCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'images');
}

function readTags(): Readonly<Record<string, string>> {
  return Object.fromEntries(
    readFileSync(join(IMAGES_TOOLING_DIR, 'images.env'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+_TAG=/.test(line))
      .map((line) => {
        const [key, value] = line.split('=', 2) as [string, string];
        return [key.slice(0, -'_TAG'.length), value.trim()];
      }),
  );
}

/** Files the Dockerfile copies (and the Dockerfile); keep in step with lib/context.sh. */
export const PLATFORM_CONTEXT = ['Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'bin', 'scripts', 'imports', 'constructs', 'src'];

function filesUnder(rel: string, root: string): string[] {
  const stat = lstatSync(join(root, rel), { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isFile()) return [rel];
  if (!stat.isDirectory()) return [];
  return readdirSync(join(root, rel)).flatMap((entry) => filesUnder(`${rel}/${entry}`, root));
}

/** sha256 over `node=<tag>` and `sha256sum` lines of the context files in byte order (12 hex digits). */
export function contextDigest(nodeTag: string, root: string = REPO_ROOT): string {
  const files = PLATFORM_CONTEXT.flatMap((p) => filesUnder(p, root)).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const hash = createHash('sha256').update(`node=${nodeTag}\n`);
  for (const file of files) hash.update(`${createHash('sha256').update(readFileSync(join(root, file))).digest('hex')}  ${file}\n`);
  return hash.digest('hex').slice(0, 12);
}

/** The tag of one image (the platform's depends on the working tree's sources). */
export function imageTag(name: ImageName): string {
  const tags = readTags();
  if (name === 'store-platform') {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    return `${version}-${contextDigest(tags.NODE ?? '')}`;
  }
  const tag = tags[name.toUpperCase().replaceAll('-', '_')];
  if (!tag) throw new Error(`images.env has no tag for '${name}'`);
  return tag;
}

export function standInImage(name: ImageName, env: NodeJS.ProcessEnv = process.env): StandInImage {
  const tag = imageTag(name);
  return { name, tag, ref: `localhost/${name}:${tag}`, archive: join(imagesCacheDir(env), `${name}-${tag}.tar`) };
}

export function standInImages(env: NodeJS.ProcessEnv = process.env): readonly StandInImage[] {
  return IMAGE_NAMES.map((name) => standInImage(name, env));
}

/** The Medusa store images, one a Medusa release. */
export type MedusaImageName = Extract<ImageName, 'medusa' | 'medusa-previous'>;

/** The Medusa release a store image carries: its tag without the recipe's `-rN` (`2.21.1-r1` is 2.21.1). */
export function medusaRelease(name: MedusaImageName): string {
  const tag = imageTag(name);
  const release = /^(\d+\.\d+\.\d+)-r\d+$/.exec(tag)?.[1];
  if (!release) throw new Error(`images.env tag of '${name}' must be <medusa release>-r<n>, got '${tag}'`);
  return release;
}

/** The two Medusa store images an upgrade test moves one store between: `from` one release back, `to` the current. */
export function medusaUpgradeImages(env: NodeJS.ProcessEnv = process.env): { readonly from: StandInImage; readonly to: StandInImage } {
  return { from: standInImage('medusa-previous', env), to: standInImage('medusa', env) };
}

/** The platform's image-override variables (src/config.ts) pointing at the stand-ins. */
export function imageOverrideEnv(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string>> {
  return {
    WORDPRESS_IMAGE: standInImage('wordpress', env).ref,
    MYSQL_IMAGE: standInImage('mariadb', env).ref,
    WP_CLI_IMAGE: standInImage('wp-cli', env).ref,
    CURL_IMAGE: standInImage('curl', env).ref,
    MEDUSA_IMAGE: standInImage('medusa', env).ref,
    POSTGRES_IMAGE: standInImage('postgres', env).ref,
    REDIS_IMAGE: standInImage('redis', env).ref,
    MAINTENANCE_IMAGE: standInImage('busybox', env).ref,
  };
}

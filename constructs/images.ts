/**
 * The images a store runs: the one place they are bumped (README, "Bumping an image").
 *
 * Each official image is pinned by tag and by the digest of its multi-platform index, the digest the
 * registry publishes for that tag: a tag pushed again can never change what a store runs, and the tag
 * keeps the reference readable. Only the Medusa image is built by the operator (Medusa publishes
 * none), so its digest is known only after that build: pin it through MEDUSA_IMAGE.
 */

/** Container images of a store; every one pinned to an exact tag or digest. */
export interface StoreImages {
  /** Official WordPress image, Apache variant. */
  readonly wordpress: string;
  /** Official WordPress image, wp-cli variant. */
  readonly wpCli: string;
  /** The WooCommerce store's database server: MariaDB or MySQL (see {@link DATABASE_IMAGES}). */
  readonly mysql: string;
  /** Any image with `curl`, `grep` and `sed` running as non-root; used by the store check. */
  readonly curl: string;
  /** The Medusa store image built from infra/images/medusa (server, worker, setup and check Jobs). */
  readonly medusa: string;
  /** Official PostgreSQL image (Medusa's database). */
  readonly postgres: string;
  /** Official Redis image (Medusa's event bus, workflow engine, locking and cache). */
  readonly redis: string;
  /** Any image with busybox's `nc` (with `-e`) and `sh`: the maintenance page of a suspended store. */
  readonly maintenance: string;
}

/**
 * The database servers a WooCommerce store can run, each an official image pinned by tag and digest.
 * MariaDB is the default: the server family the real-node tests run, and one WordPress, WooCommerce
 * and Bitnami's WordPress chart support. MySQL stays selectable (DATABASE_ENGINE=mysql). A store keeps
 * the family it was created with: neither server opens the other's data directory.
 */
export const DATABASE_IMAGES = {
  // official MariaDB 11.8 LTS (Ubuntu); runs as its own mysql user (uid 999) and reads the MYSQL_* variables
  mariadb: 'mariadb:11.8.9@sha256:2d2f4095530294735a857cfe22bb101e19b0849b416911c796ec4aa81b164a62',
  // official MySQL 8.4 LTS; runs as its own mysql user (uid 999)
  mysql: 'mysql:8.4.11@sha256:85b9bf2e29cf836ecb8c2a15a935d4ba0c606631dff1dd79531a11983c638f2a',
} as const;

/** `mariadb` | `mysql`. */
export type DatabaseEngine = keyof typeof DATABASE_IMAGES;

/** The server family new stores get when DATABASE_ENGINE is not set. */
export const DEFAULT_DATABASE_ENGINE: DatabaseEngine = 'mariadb';

/** Whether `value` names a server family. */
export function isDatabaseEngine(value: string): value is DatabaseEngine {
  return Object.hasOwn(DATABASE_IMAGES, value);
}

/**
 * The family of a running database image, read from its repository's last path segment (`mariadb`,
 * `library/mariadb`, a mirror's `.../mariadb`): only for stores created before their family was recorded.
 */
export function databaseEngineOfImage(image: string): DatabaseEngine {
  const repository = image.split('@')[0]!.replace(/:[^/]*$/, '');
  return repository.slice(repository.lastIndexOf('/') + 1).startsWith('mariadb') ? 'mariadb' : 'mysql';
}

/** Images pinned by the platform; overridable through the `*_IMAGE` settings. */
export const DEFAULT_IMAGES: StoreImages = {
  // official image, Apache + PHP 8.3; run as www-data (uid 33) on port 8080, see wordpress.ts
  wordpress: 'wordpress:7.0.2-php8.3-apache@sha256:7f1f307f9b651246d4084ff8978ecf4515ebcc9106c62e2fa364c76f8ab7ee56',
  // official wp-cli variant of the same project (Alpine, PHP 8.3); run as uid 33 to share files
  wpCli: 'wordpress:cli-2.12.0-php8.3@sha256:2b5e9d4d3e51909dca1aaa4732e9f5e5bf0377c2114dbd8ff39f060bff202586',
  mysql: DATABASE_IMAGES[DEFAULT_DATABASE_ENGINE],
  // curl's official image, non-root (uid 100) with busybox grep/sed
  curl: 'curlimages/curl:8.21.0@sha256:7c12af72ceb38b7432ab85e1a265cff6ae58e06f95539d539b654f2cfa64bb13',
  // built from infra/images/medusa/Dockerfile (Medusa publishes no image); runs as node (uid 1000)
  medusa: 'store-platform/medusa:2.21.2-r3',
  // official images; both run as their own user (uid 999)
  postgres: 'postgres:15.19-bookworm@sha256:539ceaaae49b3a7c8a04467cf00cc6788d8e3f1675df41860d86eebc4c40524f',
  redis: 'redis:7.4.11-bookworm@sha256:c6eabf748fc7a61dbb5a705c78bcf3d6377b1127a97d0ce965c11c44ba46896f',
  // official busybox image (4 MiB); the maintenance responder runs its nc and sh as nobody (uid 65534)
  maintenance: 'busybox:1.37.0@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0',
};

/** Images the operator builds, whose digest the platform cannot know in advance. */
export const OPERATOR_BUILT_IMAGES: ReadonlySet<keyof StoreImages> = new Set(['medusa']);

const DIGEST_PINNED = /^[^@\s]+:[^@/\s]+@sha256:[0-9a-f]{64}$/;

/** True when the reference names both a tag and a sha256 digest (`repo:tag@sha256:…`). */
export function isDigestPinned(image: string): boolean {
  return DIGEST_PINNED.test(image);
}

/** The images of `images` that are not pinned by tag and digest, by key. */
export function imagesWithoutDigest(images: StoreImages): (keyof StoreImages)[] {
  return (Object.keys(images) as (keyof StoreImages)[]).filter((key) => !isDigestPinned(images[key]));
}

/**
 * The backup and restore Jobs' image: sh, restic, jq and both engines' database clients (constructs/backup).
 * No upstream image carries that set, so the operator builds it (infra/images/recipes/backup.sh is the
 * recipe of the test stand-in) and, like the Medusa image, pins its digest through BACKUP_IMAGE.
 */
export const DEFAULT_BACKUP_IMAGE = 'store-platform/backup:0.1.0-r1';

import type { StoreImages } from './images.js';
import type { PlatformSettings } from './spec.js';

/**
 * Engine releases: the versions a store can run and the upgrade paths between them.
 *
 * Every engine has a built-in release, its `baseVersion`: the images and packages the platform settings
 * name (the `*_IMAGE` and WOOCOMMERCE_VERSION settings). The operator's catalogue (STORE_RELEASES) adds
 * releases, each overriding the images its engine versions (`releaseImages`), names the releases it may
 * be upgraded from, and picks the release new stores get. A store keeps the release it was created with
 * until it is upgraded.
 */

/** One version of an engine's store. */
export interface EngineRelease {
  /** What the merchant and the operator call it, e.g. `2.21.2`. */
  readonly version: string;
  /** Images this release runs instead of the platform's. @default - the platform's images */
  readonly images?: Partial<StoreImages>;
  /** The WooCommerce plugin version the setup Job installs. @default - the platform's woocommerceVersion */
  readonly woocommerceVersion?: string;
  /** Versions a store may be upgraded from to this one. @default - none */
  readonly upgradesFrom?: readonly string[];
}

/** An engine's part of the operator's catalogue. */
export interface EngineReleaseCatalogue {
  /** The release new stores get. @default - the engine's base version */
  readonly current?: string;
  readonly releases: readonly EngineRelease[];
}

/** The operator's catalogue, by engine name. */
export type ReleaseCatalogue = Readonly<Record<string, EngineReleaseCatalogue>>;

/** What an engine declares about its releases. */
export interface EngineVersioning {
  /** The version of the images and packages `platform` names (the built-in release). Pure. */
  readonly baseVersion: (platform: PlatformSettings) => string;
  /** The images a release of this engine may set; the others stay the platform's. */
  readonly images: readonly (keyof StoreImages)[];
  /** Whether a release may set the WooCommerce plugin version. */
  readonly woocommerceVersion: boolean;
}

/** The tag of an image reference without its digest and `-rN` recipe suffix: `medusa:2.21.2-r3@sha256:…` is `2.21.2`. */
export function imageVersion(image: string): string {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : 'latest';
  return tag.replace(/-r\d+$/, '');
}

/** Every release of an engine on this platform: the base one first, then the catalogue's (a catalogue entry for the base version sets its paths). */
export function releasesOf(platform: PlatformSettings, engine: string, versioning: EngineVersioning): EngineRelease[] {
  const base = versioning.baseVersion(platform);
  const configured = platform.releases?.[engine]?.releases ?? [];
  const baseEntry = configured.find((r) => r.version === base);
  return [{ version: base, upgradesFrom: baseEntry?.upgradesFrom ?? [] }, ...configured.filter((r) => r.version !== base)];
}

/** The release new stores of the engine get. */
export function currentRelease(platform: PlatformSettings, engine: string, versioning: EngineVersioning): string {
  return platform.releases?.[engine]?.current ?? versioning.baseVersion(platform);
}

/** The platform as a store on `version` sees it: the release's images and packages in place of the platform's. Throws for an unknown version. */
export function platformForRelease(platform: PlatformSettings, engine: string, versioning: EngineVersioning, version: string): PlatformSettings {
  const release = releasesOf(platform, engine, versioning).find((r) => r.version === version);
  if (!release) {
    throw new Error(`release '${version}' of engine '${engine}' is not in the catalogue; known: ${releasesOf(platform, engine, versioning).map((r) => r.version).join(', ')}`);
  }
  if (!release.images && release.woocommerceVersion === undefined) return platform;
  return {
    ...platform,
    images: { ...platform.images, ...release.images },
    ...(release.woocommerceVersion !== undefined ? { woocommerceVersion: release.woocommerceVersion } : {}),
  };
}

/** Why a store on `from` cannot be upgraded to `to`, or undefined when the catalogue allows it. */
export function upgradeProblem(platform: PlatformSettings, engine: string, versioning: EngineVersioning, from: string, to: string): string | undefined {
  const all = releasesOf(platform, engine, versioning);
  const target = all.find((r) => r.version === to);
  if (!target) return `release '${to}' of engine '${engine}' is not in the catalogue; known: ${all.map((r) => r.version).join(', ')}`;
  if (from === to) return `the store already runs ${engine} ${to}`;
  const paths = target.upgradesFrom ?? [];
  if (!paths.includes(from)) {
    return `${engine} ${to} cannot be reached from ${from}; it upgrades from ${paths.length > 0 ? paths.join(', ') : 'no release'}`;
  }
  return undefined;
}

/** Problems of a catalogue against the engines' versioning (unknown engines, images a release may not set, paths to unknown versions); empty when it holds. */
export function catalogueProblems(platform: PlatformSettings, versioningOf: (engine: string) => EngineVersioning | undefined): string[] {
  const problems: string[] = [];
  for (const [engine, entry] of Object.entries(platform.releases ?? {})) {
    const versioning = versioningOf(engine);
    if (!versioning) {
      problems.push(`engine '${engine}' is not available`);
      continue;
    }
    const versions = new Set<string>();
    for (const r of entry.releases) {
      if (versions.has(r.version)) problems.push(`${engine} ${r.version} is listed twice`);
      versions.add(r.version);
      for (const key of Object.keys(r.images ?? {})) {
        if (!versioning.images.includes(key as keyof StoreImages)) problems.push(`${engine} ${r.version} sets image '${key}'; a ${engine} release sets only ${versioning.images.join(', ')}`);
      }
      if (r.woocommerceVersion !== undefined && !versioning.woocommerceVersion) problems.push(`${engine} ${r.version} sets woocommerceVersion, which ${engine} does not install`);
    }
    const known = new Set(releasesOf(platform, engine, versioning).map((r) => r.version));
    for (const r of entry.releases) {
      for (const from of r.upgradesFrom ?? []) if (!known.has(from)) problems.push(`${engine} ${r.version} upgrades from '${from}', which is not a release`);
    }
    if (entry.current !== undefined && !known.has(entry.current)) problems.push(`${engine} current release '${entry.current}' is not a release`);
  }
  return problems;
}

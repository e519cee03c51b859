import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGE_NAMES, IMAGES_TOOLING_DIR, imageTag, type MedusaImageName, medusaRelease, medusaUpgradeImages } from '../../../infra/images/images.js';

// The two Medusa store images are one project at two Medusa releases: infra/images/medusa with its own
// package files, and the same sources with infra/images/medusa/previous's. Each image's tag in images.env
// names its release, so a bump of a tag without its package files (or of the package files without the
// tag) fails here, before any image is built.

interface PackageJson { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> }
interface PackageLock { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> }

const PACKAGE_DIRS: Readonly<Record<MedusaImageName, string>> = {
  medusa: join(IMAGES_TOOLING_DIR, 'medusa'),
  'medusa-previous': join(IMAGES_TOOLING_DIR, 'medusa', 'previous'),
};

const readJson = <T>(dir: string, file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
const medusaDeps = (deps: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(deps).filter(([name]) => name.startsWith('@medusajs/')));
const withoutMedusa = (deps: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(deps).filter(([name]) => !name.startsWith('@medusajs/')));

describe.each(Object.keys(PACKAGE_DIRS) as MedusaImageName[])('%s store image packages', (name) => {
  const dir = PACKAGE_DIRS[name];
  const release = medusaRelease(name);
  const pkg = readJson<PackageJson>(dir, 'package.json');
  const lock = readJson<PackageLock>(dir, 'package-lock.json');

  it('pin every @medusajs package to the release the images.env tag names', () => {
    const deps = medusaDeps(pkg.dependencies);
    expect(Object.keys(deps)).toEqual(['@medusajs/admin-sdk', '@medusajs/cli', '@medusajs/framework', '@medusajs/medusa']);
    expect(deps).toEqual(Object.fromEntries(Object.keys(deps).map((dep) => [dep, release])));
    expect(pkg.version).toBe(release);
  });

  it('come with a lock that installs that release', () => {
    expect(lock.packages['']?.dependencies).toEqual(pkg.dependencies);
    for (const dep of Object.keys(medusaDeps(pkg.dependencies))) {
      expect(lock.packages[`node_modules/${dep}`]?.version, dep).toBe(release);
    }
  });
});

describe('Medusa store images', () => {
  it('build the previous release from the same project: only the Medusa packages differ', () => {
    const current = readJson<PackageJson>(PACKAGE_DIRS.medusa, 'package.json');
    const previous = readJson<PackageJson>(PACKAGE_DIRS['medusa-previous'], 'package.json');
    const rest = ({ version: _, dependencies, ...other }: PackageJson) => ({ ...other, dependencies: withoutMedusa(dependencies) });
    expect(rest(previous)).toEqual(rest(current));
  });

  it('put the previous release before the current one', () => {
    const [previous, current] = [medusaRelease('medusa-previous'), medusaRelease('medusa')].map((v) => v.split('.').map(Number));
    const older = previous!.findIndex((part, i) => part !== current![i]);
    expect(older, 'the two releases are the same').toBeGreaterThanOrEqual(0);
    expect(previous![older]).toBeLessThan(current![older]!);
  });

  it('are both stand-ins, the upgrade going from medusa-previous to medusa', () => {
    expect(IMAGE_NAMES).toEqual(expect.arrayContaining(['medusa', 'medusa-previous']));
    const { from, to } = medusaUpgradeImages({ STORE_PLATFORM_CACHE: '/cache' });
    expect(from).toEqual({ name: 'medusa-previous', tag: imageTag('medusa-previous'), ref: `localhost/medusa-previous:${from.tag}`, archive: `/cache/images/medusa-previous-${from.tag}.tar` });
    expect(to).toEqual({ name: 'medusa', tag: imageTag('medusa'), ref: `localhost/medusa:${to.tag}`, archive: `/cache/images/medusa-${to.tag}.tar` });
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type MedusaImageName, medusaRelease, medusaUpgradeImages } from '../../../infra/images/images.js';
import { useImage } from './support/prereqs.js';
import { runToCompletion, type UnpackedImage } from './support/runc.js';

// The two Medusa store images an upgrade test moves a store between: the same project (one copy of
// its sources in infra/images/medusa) built at two Medusa releases, each carrying the release its tag
// names. The Medusa image's workloads run on the real node in test/real/medusa-store.test.ts.

const PACKAGES = ['@medusajs/medusa', '@medusajs/framework', '@medusajs/cli', '@medusajs/admin-sdk'];

/** The installed versions (node_modules/<package>/package.json in the working directory), read as the store's workloads run (uid 1000, read-only root). */
async function installedVersions(image: UnpackedImage): Promise<string[]> {
  // the packages export no package.json, so it is read from the folder rather than require()d
  const script = `for (const p of ${JSON.stringify(PACKAGES)}) console.log(JSON.parse(require('fs').readFileSync('node_modules/' + p + '/package.json', 'utf8')).version)`;
  const out = await runToCompletion(image, { command: ['node', '-e', script], user: { uid: 1000, gid: 1000 }, readOnlyRootFilesystem: true, emptyDirs: ['/tmp'] });
  return out.trim().split('\n');
}

/** The build output's own files (the compiled project, not its dependencies or the admin bundle), by path. */
function projectFiles(image: UnpackedImage, dir = '.'): string[] {
  const app = join(image.rootfs, 'app');
  return readdirSync(join(app, dir), { withFileTypes: true })
    .filter((e) => !['./node_modules', './public'].includes(`${dir}/${e.name}`))
    .flatMap((e) => (e.isDirectory() ? projectFiles(image, `${dir}/${e.name}`) : [`${dir}/${e.name}`]))
    .sort();
}

describe('Medusa store images (medusa-previous, then medusa)', () => {
  const images: Record<MedusaImageName, () => UnpackedImage> = { 'medusa-previous': useImage('medusa-previous'), medusa: useImage('medusa') };

  it('are named for the upgrade: from localhost/medusa-previous to localhost/medusa, each at its images.env tag', () => {
    const { from, to } = medusaUpgradeImages();
    expect([from.ref, to.ref]).toEqual([`localhost/medusa-previous:${from.tag}`, `localhost/medusa:${to.tag}`]);
    expect([images['medusa-previous']().ref, images.medusa().ref]).toEqual([from.ref, to.ref]);
  });

  it.each(['medusa-previous', 'medusa'] as const)('%s carries every @medusajs package at the release its tag names', async (name) => {
    const release = medusaRelease(name);
    expect(await installedVersions(images[name]())).toEqual(PACKAGES.map(() => release));
  });

  it('build one project: the same files, identical but for the package manifests', () => {
    const [previous, current] = [images['medusa-previous'](), images.medusa()];
    const files = projectFiles(current);
    expect(files).toEqual(expect.arrayContaining(['./check/place-order.mjs', './medusa-config.js', './src/scripts/setup-store.js']));
    expect(projectFiles(previous)).toEqual(files);
    const read = (image: UnpackedImage, file: string): Buffer => readFileSync(join(image.rootfs, 'app', file));
    const differing = files.filter((f) => !read(previous, f).equals(read(current, f)));
    expect(differing).toEqual(['./package-lock.json', './package.json']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_NAMES, imageOverrideEnv, standInImages } from '../../../infra/images/images.js';
import { ThrowawayContainerd } from './support/containerd.js';
import { archiveFor, requireHost } from './support/prereqs.js';

// Every Debian-made stand-in imports into containerd under localhost/<name>:<tag> (not normalised
// to another registry's name), unpacked, ready for imagePullPolicy Never/IfNotPresent. The
// platform's own image is imported in platform.test.ts; the Medusa images (buildah-made from their
// Dockerfile) by test/real/medusa-store.test.ts, their contents checked in medusa-images.test.ts.
const BUILT_FROM_DOCKERFILES: readonly string[] = ['store-platform', 'medusa', 'medusa-previous'];
const DEBIAN_IMAGES = IMAGE_NAMES.filter((n) => !BUILT_FROM_DOCKERFILES.includes(n));

describe('stand-in image archives', () => {
  let containerd: ThrowawayContainerd;

  beforeAll(async () => {
    requireHost(['containerd', 'ctr', 'umoci']);
    for (const name of DEBIAN_IMAGES) await archiveFor(name);
    containerd = await ThrowawayContainerd.start();
  });
  afterAll(async () => containerd?.stop());

  it('import with `ctr -n k8s.io images import` under their localhost names', async () => {
    const images = standInImages().filter((i) => !BUILT_FROM_DOCKERFILES.includes(i.name));
    for (const image of images) await containerd.ctr(['images', 'import', image.archive]);
    expect((await containerd.images()).sort()).toEqual(images.map((i) => i.ref).sort());
  });

  it('are unpacked into the overlayfs snapshotter, one layer each', async () => {
    const snapshots = (await containerd.ctr(['snapshots', '--snapshotter', 'overlayfs', 'ls'])).trim().split('\n').slice(1);
    expect(snapshots).toHaveLength(DEBIAN_IMAGES.length);
  });

  it('are what the platform image overrides name', () => {
    expect(imageOverrideEnv()).toEqual({
      WORDPRESS_IMAGE: expect.stringMatching(/^localhost\/wordpress:/),
      MYSQL_IMAGE: expect.stringMatching(/^localhost\/mariadb:/),
      WP_CLI_IMAGE: expect.stringMatching(/^localhost\/wp-cli:/),
      CURL_IMAGE: expect.stringMatching(/^localhost\/curl:/),
      MEDUSA_IMAGE: expect.stringMatching(/^localhost\/medusa:/),
      POSTGRES_IMAGE: expect.stringMatching(/^localhost\/postgres:/),
      REDIS_IMAGE: expect.stringMatching(/^localhost\/redis:/),
      MAINTENANCE_IMAGE: expect.stringMatching(/^localhost\/busybox:/),
    });
  });
});

describe('image tags', () => {
  it('give the platform image the same tag in build.sh and images.ts (the digest of its build context)', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const script = 'IMAGES_DIR=infra/images; . infra/images/images.env; REPO_ROOT="$PWD"; . infra/images/lib/context.sh; platform_tag';
    const { stdout } = await promisify(execFile)('bash', ['-c', script]);
    const platform = standInImages().find((i) => i.name === 'store-platform')!;
    expect(platform.tag).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{12}$/);
    expect(stdout.trim()).toBe(platform.tag);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standInImage } from '../../../infra/images/images.js';
import { ThrowawayContainerd } from './support/containerd.js';
import { curlArgs, splitStatus, useCleanup, useImage } from './support/prereqs.js';
import { Container, waitFor } from './support/runc.js';

// The platform's own image, built from the Dockerfile by buildah on the Node stand-in, run the way
// charts/store-platform runs it: uid/gid 1000, read-only root, /data and /tmp as emptyDirs, the
// admin key from a mounted file, the chart's env. The API server here is unreachable (a refused
// port in the container's private network): the process must still serve /healthz, and /readyz
// must say it is not ready. Provisioning through a real API server is the real node's test.
const ADMIN_KEY = 'sp_test_admin_key_0123456789abcdef';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: away, cluster: { server: 'https://127.0.0.1:6443', insecure-skip-tls-verify: true } }]
users: [{ name: away, user: { token: not-a-real-token } }]
contexts: [{ name: away, context: { cluster: away, user: away } }]
current-context: away
`;

describe('store-platform image (Dockerfile built without a Docker engine)', () => {
  const image = useImage('store-platform');
  const cleanup = useCleanup();
  let platform: Container;
  const http = async (path: string) => splitStatus((await platform.inNetwork(curlArgs(`http://127.0.0.1:8080${path}`))).stdout);

  beforeAll(async () => {
    const files = cleanup.dir(mkdtempSync(join(tmpdir(), 'stand-in-platform-')));
    writeFileSync(join(files, 'admin-key'), ADMIN_KEY);
    writeFileSync(join(files, 'kubeconfig'), KUBECONFIG);
    platform = cleanup.container(
      await Container.start(image(), {
        env: {
          HOST: '0.0.0.0',
          PORT: '8080',
          DATABASE_PATH: '/data/platform.db',
          STORE_PLATFORM_ADMIN_KEY_FILE: '/etc/store-platform/admin-key/admin-key',
          BASE_DOMAIN: 'stores.example.test',
          KUBECONFIG: '/etc/store-platform/kube/config',
        },
        user: { uid: 1000, gid: 1000, fsGroup: 1000 },
        readOnlyRootFilesystem: true,
        emptyDirs: ['/data', '/tmp'],
        mounts: [
          { source: join(files, 'admin-key'), destination: '/etc/store-platform/admin-key/admin-key', readOnly: true },
          { source: join(files, 'kubeconfig'), destination: '/etc/store-platform/kube/config', readOnly: true },
        ],
      }),
    );
    await waitFor('startup probe (/healthz)', async () => (await http('/healthz')).status === 200, 60_000, () => platform.logs());
  });

  it('starts on a read-only root as uid 1000 under tini and answers /healthz', async () => {
    expect((await http('/healthz')).status).toBe(200);
    const ps = await platform.exec(['sh', '-c', 'cat /proc/1/comm; for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = node ] && stat -c %u $p; done']);
    expect(ps.stdout.trim().split('\n')).toEqual(['tini', '1000']);
    expect((await platform.exec(['sh', '-c', 'ls /data'])).stdout).toMatch(/platform\.db/);
  });

  it('is not ready while its API server is away (/readyz)', async () => {
    expect((await http('/readyz')).status).toBe(503);
  });

  it('drains and exits on SIGTERM, as a pod deletion asks', async () => {
    await platform.stop(20_000);
    expect(await platform.status()).toBe('stopped');
    expect(platform.logs()).toMatch(/Shutting down/);
  });

  it('imports into containerd as localhost/store-platform:<version>-<context digest>', async () => {
    const ref = standInImage('store-platform');
    const containerd = await ThrowawayContainerd.start();
    try {
      await containerd.ctr(['images', 'import', ref.archive]);
      expect(await containerd.images()).toEqual([ref.ref]);
    } finally {
      await containerd.stop();
    }
  });
});

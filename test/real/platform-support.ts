import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/cluster/paths.js';
import { paths } from '../../infra/cluster/real-node/node.js';
import { standInImage, type StandInImage } from '../../infra/images/images.js';
import { ON_REAL_NODE, realCluster, realKubeConfig, RESTRICTED_CONTAINER, uniqueName, waitForPod, type Ran } from './support.js';

// The platform's own image on the real node: built from the working tree's Dockerfile when its
// archive is missing (its tag is a digest of the sources), then imported into the node's containerd.

export interface ImportedImage extends StandInImage {
  /** Seconds the build took, or undefined when the archive was already cached. */
  readonly buildSeconds?: number;
  readonly importSeconds: number;
}

/** Builds (when not cached) and imports the platform image; throws with the builder's exit when it cannot. */
export function importPlatformImage(): ImportedImage {
  const image = standInImage('store-platform');
  let buildSeconds: number | undefined;
  if (!existsSync(image.archive)) {
    const t = Date.now();
    execFileSync('bash', [join(REPO_ROOT, 'infra/images/build.sh'), 'store-platform'], { stdio: 'inherit', timeout: 20 * 60_000 });
    buildSeconds = (Date.now() - t) / 1000;
    if (!existsSync(image.archive)) throw new Error(`infra/images/build.sh store-platform made no ${image.name}-${image.tag}.tar`);
  }
  const socket = paths(realCluster().realNode.dir).containerdSocket;
  const ctr = (args: string[]): string => execFileSync('ctr', ['-a', socket, '-n', 'k8s.io', 'images', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const t = Date.now();
  ctr(['import', '--base-name', 'localhost/store-platform', image.archive]);
  const importSeconds = (Date.now() - t) / 1000;
  if (!ctr(['ls', '-q']).split('\n').includes(image.ref)) throw new Error(`containerd does not list ${image.ref} after the import`);
  return { ...image, ...(buildSeconds !== undefined ? { buildSeconds } : {}), importSeconds };
}

/**
 * Runs `command` once in a pod on the real node under a given ServiceAccount (its token mounted),
 * and returns the exit code and output. The pod is Pod Security "restricted".
 */
export async function runAs(namespace: string, serviceAccountName: string, image: string, command: string[], timeoutMs = 60_000): Promise<Ran> {
  const core = realKubeConfig().makeApiClient(CoreV1Api);
  const name = uniqueName('as-sa');
  const pod: V1Pod = {
    metadata: { name, namespace, labels: { 'store-platform.io/test': 'probe' } },
    spec: {
      ...ON_REAL_NODE, tolerations: [...ON_REAL_NODE.tolerations], restartPolicy: 'Never', serviceAccountName, automountServiceAccountToken: true,
      containers: [{ name: 'probe', image, imagePullPolicy: 'Never', command, securityContext: RESTRICTED_CONTAINER }],
    },
  };
  await core.createNamespacedPod({ namespace, body: pod });
  try {
    const done = await waitForPod(core, namespace, name, (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed', timeoutMs);
    const exitCode = done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? -1;
    return { exitCode, logs: await core.readNamespacedPodLog({ name, namespace, container: 'probe' }) };
  } finally {
    await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

/**
 * A `node -e` script that calls the API server the way in-cluster config does (the mounted token
 * and CA, https://kubernetes.default.svc) and prints `{ <label>: { status, message } }` as JSON.
 */
export function apiCallsScript(calls: Record<string, { method: string; path: string; body?: unknown }>): string {
  return `
const https = require('node:https');
const fs = require('node:fs');
const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
const token = fs.readFileSync(dir + '/token', 'utf8');
const ca = fs.readFileSync(dir + '/ca.crt');
const calls = ${JSON.stringify(calls)};
const call = (c) => new Promise((resolve) => {
  const req = https.request({ host: 'kubernetes.default.svc', port: 443, method: c.method, path: c.path, ca, timeout: 10000,
    headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' } }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => { let message = ''; try { message = JSON.parse(body).message || ''; } catch { message = body.slice(0, 200); } resolve({ status: res.statusCode, message }); });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => resolve({ status: 0, message: String(e) }));
  req.end(c.body === undefined ? undefined : JSON.stringify(c.body));
});
(async () => {
  const out = {};
  for (const [label, c] of Object.entries(calls)) out[label] = await call(c);
  console.log(JSON.stringify(out));
})();
`;
}

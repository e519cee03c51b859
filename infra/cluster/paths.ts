import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the repository's cluster tooling lives (this folder). */
export const CLUSTER_TOOLING_DIR = fileURLToPath(new URL('.', import.meta.url));
export const REPO_ROOT = resolve(CLUSTER_TOOLING_DIR, '../..');

export interface ClusterVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly helm: string;
  readonly coredns: string;
  readonly kubeRouter: string;
  readonly localPathProvisioner: string;
  readonly traefik: string;
  readonly versitygw: string;
}

/** The pinned versions, read from versions.env (the single place they are written). */
export function readVersions(): ClusterVersions {
  const env = Object.fromEntries(
    readFileSync(join(CLUSTER_TOOLING_DIR, 'versions.env'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=', 2) as [string, string]),
  );
  const pick = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(`versions.env has no ${key}`);
    return value;
  };
  return {
    kubernetes: pick('KUBERNETES_VERSION'),
    etcd: pick('ETCD_VERSION'),
    kwok: pick('KWOK_VERSION'),
    helm: pick('HELM_VERSION'),
    coredns: pick('COREDNS_VERSION'),
    kubeRouter: pick('KUBE_ROUTER_VERSION'),
    localPathProvisioner: pick('LOCAL_PATH_PROVISIONER_VERSION'),
    traefik: pick('TRAEFIK_VERSION'),
    versitygw: pick('VERSITYGW_VERSION'),
  };
}

/** Built binaries, keyed by version, outside the repository (same rule as build.sh). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STORE_PLATFORM_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'store-platform');
}

/** A binary's cache folder; `component` is build.sh's target name (kube-router, not kubeRouter). */
export function binDir(component: string, version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'bin', `${component}-${version}`);
}

/** The running cluster's state, certificates, logs and kubeconfig (git-ignored). */
export function clusterDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STORE_PLATFORM_CLUSTER_DIR ?? join(REPO_ROOT, '.cluster'));
}

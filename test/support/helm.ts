import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Locates helm (and kubectl) built from the pinned Go modules by infra/cluster/build.sh, building helm
// on first use. Tests shell out to helm because the chart is what operators run through helm; src/ never does.

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The Helm chart of the control plane. */
export const chartDir = join(repoRoot, 'charts/store-platform');

function pinnedVersions(): Record<string, string> {
  const text = readFileSync(join(repoRoot, 'infra/cluster/versions.env'), 'utf8');
  return Object.fromEntries(
    text.split('\n').flatMap((line) => {
      const m = /^([A-Z_]+)=(\S+)/.exec(line.trim());
      return m ? [[m[1]!, m[2]!]] : [];
    }),
  );
}

function cacheDir(): string {
  return process.env.STORE_PLATFORM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'store-platform');
}

/** The Kubernetes version of the simulated cluster, e.g. `v1.36.1`; helm template renders for it. */
export function kubernetesVersion(): string {
  const v = pinnedVersions().KUBERNETES_VERSION;
  if (!v) throw new Error('KUBERNETES_VERSION missing from infra/cluster/versions.env');
  return v;
}

/** Path of the pinned helm binary; builds it (a few minutes cold) when it is not cached yet. */
export function helmBinary(): string {
  const version = pinnedVersions().HELM_VERSION;
  if (!version) throw new Error('HELM_VERSION missing from infra/cluster/versions.env');
  const dir = join(cacheDir(), 'bin', `helm-${version}`);
  if (!existsSync(join(dir, '.complete'))) {
    execFileSync('bash', [join(repoRoot, 'infra/cluster/build.sh'), 'helm'], { stdio: 'inherit', timeout: 15 * 60_000 });
  }
  return join(dir, 'helm');
}

/** Path of the pinned kubectl (built with the simulated cluster), or undefined when it is not built. */
export function kubectlBinary(): string | undefined {
  const version = kubernetesVersion();
  const path = join(cacheDir(), 'bin', `kubernetes-${version}`, 'kubectl');
  return existsSync(path) ? path : undefined;
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with the given arguments; never throws on a non-zero exit (tests assert on it). */
export function helm(args: readonly string[], opts: { kubeconfig?: string; timeoutMs?: number } = {}): HelmResult {
  const env: NodeJS.ProcessEnv = { ...process.env, HELM_CACHE_HOME: join(cacheDir(), 'helm', 'cache'), HELM_CONFIG_HOME: join(cacheDir(), 'helm', 'config'), HELM_DATA_HOME: join(cacheDir(), 'helm', 'data') };
  if (opts.kubeconfig !== undefined) env.KUBECONFIG = opts.kubeconfig;
  const res = spawnSync(helmBinary(), [...args], { env, encoding: 'utf8', timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new Error(`helm ${args[0] ?? ''} could not run`, { cause: res.error });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Like helm() but throws with helm's stderr when it exits non-zero; returns stdout. */
export function helmOk(args: readonly string[], opts: { kubeconfig?: string; timeoutMs?: number } = {}): string {
  const res = helm(args, opts);
  if (res.status !== 0) throw new Error(`helm ${args.join(' ')} exited ${res.status}: ${res.stderr.trim()}`);
  return res.stdout;
}

/** The values files shipped with the chart, each one a supported way to install it. */
export const valuesFiles = ['values.yaml', 'values-local.yaml', 'values-prod.yaml'] as const;

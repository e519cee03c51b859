/**
 * npm run cluster:up | cluster:down | cluster:status
 * Runs the simulated cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) on 127.0.0.1.
 * Ports are picked free unless CLUSTER_<NAME>_PORT is set (ETCD, ETCD_PEER, APISERVER, CONTROLLER_MANAGER, SCHEDULER, KUBELET, INGRESS).
 * `up --real-node` (or STORE_PLATFORM_REAL_NODE=1) also joins a real node that runs containers.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { COMPONENTS, type ClusterPorts } from './components.js';
import { down, isHealthy, readState, up } from './cluster.js';
import { clusterDir } from './paths.js';
import { isAlive } from './process.js';
import { REAL_NODE_COMPONENTS } from './real-node/node.js';

const PORT_VARS: Record<keyof ClusterPorts, string> = {
  etcdClient: 'CLUSTER_ETCD_PORT',
  etcdPeer: 'CLUSTER_ETCD_PEER_PORT',
  apiserver: 'CLUSTER_APISERVER_PORT',
  controllerManager: 'CLUSTER_CONTROLLER_MANAGER_PORT',
  scheduler: 'CLUSTER_SCHEDULER_PORT',
  kubelet: 'CLUSTER_KUBELET_PORT',
};

function requestedPorts(env: NodeJS.ProcessEnv): Partial<ClusterPorts> {
  const ports: Partial<Record<keyof ClusterPorts, number>> = {};
  for (const [key, variable] of Object.entries(PORT_VARS) as [keyof ClusterPorts, string][]) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${variable} must be a port number (1-65535), got '${raw}'`);
    ports[key] = port;
  }
  return ports;
}

const say = (message: string): void => console.log(message);

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true, strict: true, options: { 'real-node': { type: 'boolean', default: false } },
  });
  const realNode = values['real-node'] || process.env.STORE_PLATFORM_REAL_NODE === '1';
  const command = positionals[0];
  const dir = clusterDir();
  switch (command) {
    case 'up': {
      const started = Date.now();
      const state = await up(say, requestedPorts(process.env), dir, { realNode });
      say(`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      say(`  API server  https://${state.apiserverHost}:${state.ports.apiserver}`);
      if (state.realNode) say(`  ingress     http://127.0.0.1:${state.realNode.ports.ingress}   (real node real-0, Traefik)`);
      say(`  kubeconfig  ${state.kubeconfig}   (export KUBECONFIG=${state.kubeconfig})`);
      return 0;
    }
    case 'down': {
      // the demo keeps its database here: its stores lived in this cluster, so it goes too, but never silently
      const databases = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.db')) : [];
      await down(say, dir);
      for (const db of databases) say(`deleted ${join(dir, db)} too: the demo's stores, their timelines and API keys lived in this cluster`);
      say('cluster stopped; no state left behind');
      return 0;
    }
    case 'status': {
      const state = readState(dir);
      if (!state) {
        say('not running (npm run cluster:up starts it)');
        return 1;
      }
      for (const name of COMPONENTS) say(`  ${isAlive(state.pids[name]) ? '✓' : '✗'} ${name.padEnd(24)} pid ${state.pids[name]}`);
      if (state.realNode) {
        say('  real node real-0:');
        for (const name of REAL_NODE_COMPONENTS) {
          const pid = state.realNode.pids[name];
          say(`  ${pid !== undefined && isAlive(pid) ? '✓' : '✗'} ${name.padEnd(24)} pid ${pid ?? '-'}`);
        }
      }
      const healthy = await isHealthy(state);
      say(`${healthy ? 'healthy' : 'unhealthy'}: API server https://${state.apiserverHost}:${state.ports.apiserver}, kubeconfig ${state.kubeconfig}`);
      return healthy ? 0 : 1;
    }
    default:
      throw new Error(`unknown command '${command ?? ''}' (expected up, down or status)`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`cluster: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);

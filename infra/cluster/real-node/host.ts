import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The real node's host side: one Linux bridge on a private /24 whose first address is the node's IP,
 * a guard that keeps every forwarded packet on that bridge, and the sysctls the node's daemons change
 * (recorded before, restored after).
 */
export const REAL_NODE = {
  name: 'real-0',
  bridge: 'spbr0',
  cidr: '10.88.0.0/24',
  /** The bridge's own address: node IP, kubelet address, and where the API server listens for pods. */
  ip: '10.88.0.1',
  prefix: 24,
  /** Pods meant for the real node carry a toleration for this taint and select this label. */
  poolLabel: 'store-platform.io/pool',
  pool: 'real',
} as const;

/** The guard's own chains, in the mangle table so that no ACCEPT added later can overtake them. */
const GUARD_CHAIN = 'STORE-PLATFORM-GUARD';

/** sysctls set by this runner, kubelet, kube-proxy or the CNI bridge; restored on teardown. */
export const TOUCHED_SYSCTLS = [
  'net.ipv4.ip_forward',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
  'net.ipv4.conf.all.route_localnet',
  'vm.overcommit_memory',
  'kernel.panic',
  'kernel.panic_on_oops',
  'kernel.keys.root_maxkeys',
  'kernel.keys.root_maxbytes',
] as const;

/** Commands the real node needs on the host, each with the Debian package that has it. */
const NEEDED_COMMANDS: Record<string, string> = {
  containerd: 'containerd', ctr: 'containerd', runc: 'runc', iptables: 'iptables', ip6tables: 'iptables',
  ipset: 'ipset', conntrack: 'conntrack', ip: 'iproute2', socat: 'socat', umoci: 'umoci', busybox: 'busybox-static',
};

/** One line naming everything the machine lacks for a real node, or undefined when it has it all. */
export function missingPrerequisites(): string | undefined {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (the real node runs containers and changes iptables)');
  const packages = new Set<string>();
  for (const [command, pkg] of Object.entries(NEEDED_COMMANDS)) {
    if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) packages.add(pkg);
  }
  if (!existsSync('/usr/lib/cni/bridge') || !existsSync('/usr/lib/cni/host-local')) packages.add('containernetworking-plugins');
  if (packages.size > 0) missing.push(`apt-get install ${[...packages].sort().join(' ')}`);
  if (!existsSync('/proc/sys/net/bridge')) missing.push('the br_netfilter kernel module (modprobe br_netfilter)');
  return missing.length > 0 ? `the real node cannot start here: ${missing.join('; ')}` : undefined;
}

const run = (cmd: string, args: readonly string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tryRun = (cmd: string, args: readonly string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

const sysctlPath = (key: string): string => `/proc/sys/${key.replaceAll('.', '/')}`;

export function readSysctls(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of TOUCHED_SYSCTLS) {
    if (existsSync(sysctlPath(key))) values[key] = readFileSync(sysctlPath(key), 'utf8').trim();
  }
  return values;
}

export function writeSysctls(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    try {
      writeFileSync(sysctlPath(key), `${value}\n`);
    } catch {
      // a key the kernel refuses to take back (read-only in this namespace) stays as it is
    }
  }
}

/**
 * Installs the guard before any pod gets an address: a forwarded packet that enters or leaves by any
 * interface other than the bridge is dropped, v4 and v6, so nothing a pod sends reaches the uplink.
 */
export function installGuard(): void {
  for (const ipt of ['iptables', 'ip6tables']) {
    if (!tryRun(ipt, ['-t', 'mangle', '-N', GUARD_CHAIN])) run(ipt, ['-t', 'mangle', '-F', GUARD_CHAIN]);
    run(ipt, ['-t', 'mangle', '-A', GUARD_CHAIN, '!', '-i', REAL_NODE.bridge, '-j', 'DROP']);
    run(ipt, ['-t', 'mangle', '-A', GUARD_CHAIN, '!', '-o', REAL_NODE.bridge, '-j', 'DROP']);
    if (!tryRun(ipt, ['-t', 'mangle', '-C', 'FORWARD', '-j', GUARD_CHAIN])) {
      run(ipt, ['-t', 'mangle', '-I', 'FORWARD', '1', '-j', GUARD_CHAIN]);
    }
  }
}

/** Packets the guard has dropped so far (v4 + v6): a test reads it to prove the guard is in the path. */
export function guardDrops(): number {
  let total = 0;
  for (const ipt of ['iptables', 'ip6tables']) {
    const out = spawnSync(ipt, ['-t', 'mangle', '-L', GUARD_CHAIN, '-n', '-v', '-x'], { encoding: 'utf8' }).stdout ?? '';
    for (const line of out.split('\n').slice(2)) {
      const packets = Number(line.trim().split(/\s+/)[0]);
      if (Number.isFinite(packets)) total += packets;
    }
  }
  return total;
}

export function removeGuard(): void {
  for (const ipt of ['iptables', 'ip6tables']) {
    while (tryRun(ipt, ['-t', 'mangle', '-D', 'FORWARD', '-j', GUARD_CHAIN]));
    tryRun(ipt, ['-t', 'mangle', '-F', GUARD_CHAIN]);
    tryRun(ipt, ['-t', 'mangle', '-X', GUARD_CHAIN]);
  }
}

/** The bridge with the node's address; pods join it through the CNI bridge plugin. */
export function createBridge(): void {
  if (!tryRun('ip', ['link', 'show', REAL_NODE.bridge])) run('ip', ['link', 'add', REAL_NODE.bridge, 'type', 'bridge']);
  tryRun('ip', ['addr', 'add', `${REAL_NODE.ip}/${REAL_NODE.prefix}`, 'dev', REAL_NODE.bridge]);
  run('ip', ['link', 'set', REAL_NODE.bridge, 'up']);
  tryRun('modprobe', ['br_netfilter']);
  // pod-to-pod packets on one bridge must pass iptables, or NetworkPolicy and Services would not see them
  writeSysctls({ 'net.bridge.bridge-nf-call-iptables': '1', 'net.bridge.bridge-nf-call-ip6tables': '1', 'net.ipv4.ip_forward': '1' });
}

export function removeBridge(): void {
  tryRun('ip', ['link', 'del', REAL_NODE.bridge]);
}

/** Removes the chains kubelet, kube-proxy and kube-router leave behind (kube-router's own cleanup needs IPVS). */
export function removeNodeChains(): void {
  for (const ipt of ['iptables', 'ip6tables']) {
    for (const table of ['filter', 'nat', 'mangle']) {
      const rules = spawnSync(ipt, ['-t', table, '-S'], { encoding: 'utf8' }).stdout ?? '';
      const ours = (name: string): boolean => /^(KUBE-|CNI-)/.test(name);
      // first the jumps from built-in chains, then the chains themselves
      for (const line of rules.split('\n')) {
        const m = /^-A (\S+) (.*)$/.exec(line);
        if (m && !ours(m[1]!) && /-j (KUBE-|CNI-)\S*/.test(m[2]!)) tryRun(ipt, ['-t', table, '-D', m[1]!, ...splitRule(m[2]!)]);
      }
      const chains = rules.split('\n').map((l) => /^-N (\S+)$/.exec(l)?.[1]).filter((c): c is string => Boolean(c && ours(c)));
      if (chains.length === 0) continue;
      // one transaction for the hundreds of chains a busy node leaves: a command each took a minute
      const script = `*${table}\n${chains.map((c) => `-F ${c}`).join('\n')}\n${chains.map((c) => `-X ${c}`).join('\n')}\nCOMMIT\n`;
      if (spawnSync(`${ipt}-restore`, ['--noflush'], { input: script, stdio: ['pipe', 'ignore', 'ignore'] }).status !== 0) {
        for (const c of chains) tryRun(ipt, ['-t', table, '-F', c]);
        for (const c of chains) tryRun(ipt, ['-t', table, '-X', c]);
      }
    }
  }
  const sets = spawnSync('ipset', ['list', '-n'], { encoding: 'utf8' }).stdout ?? '';
  for (const set of sets.split('\n').filter((s) => /^(KUBE-|kube-router)/i.test(s))) tryRun('ipset', ['destroy', set]);
}

/** Splits an iptables-save rule into arguments, keeping quoted comments whole. */
function splitRule(rule: string): string[] {
  return [...rule.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

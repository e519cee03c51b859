import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { readVersions } from '../../../infra/cluster/paths.js';
import { helmPath, kubectlPath } from './tools.js';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly kernel: string;
  readonly node: string;
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly helm: string;
  readonly kubectl: string;
  /** 1-minute load average when the run started: other work on the machine skews tail latencies. */
  readonly loadAverage1m: number;
}

function osName(): string {
  const file = '/etc/os-release';
  if (!existsSync(file)) return `${os.type()} ${os.release()}`;
  const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync(file, 'utf8'));
  return m?.[1] ?? os.type();
}

function firstLine(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0] ?? '';
  } catch (err) {
    return `unknown (${(err as Error).message.split('\n')[0]})`;
  }
}

export function machineInfo(): MachineInfo {
  const v = readVersions();
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    kernel: os.release(),
    node: process.version,
    kubernetes: v.kubernetes,
    etcd: v.etcd,
    kwok: v.kwok,
    helm: firstLine(helmPath(), ['version', '--short']),
    kubectl: firstLine(kubectlPath(), ['version', '--client']).replace(/^Client Version:\s*/, ''),
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

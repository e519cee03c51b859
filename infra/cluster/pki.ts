import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  /** Serving certificate of kube-apiserver and kwok's kubelet endpoint. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate in group system:masters, used by the admin kubeconfig and the components. */
  readonly adminCert: string;
  readonly adminKey: string;
  /** Service-account token signing pair. */
  readonly saKey: string;
  readonly saPub: string;
}

const openssl = (cwd: string, ...args: string[]): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

/** Creates the cluster's certificates on first start and reuses them after. */
export function ensurePki(dir: string, serviceIp: string, extraIps: readonly string[] = []): Pki {
  const pki: Pki = {
    dir,
    caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'), serverKey: join(dir, 'server.key'),
    adminCert: join(dir, 'admin.crt'), adminKey: join(dir, 'admin.key'),
    saKey: join(dir, 'sa.key'), saPub: join(dir, 'sa.pub'),
  };
  if (existsSync(pki.saPub)) return pki;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=store-platform-sim-ca',
    '-keyout', 'ca.key', '-out', 'ca.crt');
  const sans = ['DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local', 'IP:127.0.0.1', `IP:${serviceIp}`, ...extraIps.map((ip) => `IP:${ip}`)].join(',');
  issue(dir, 'server', '/CN=kube-apiserver', `serverAuth`, sans);
  issue(dir, 'admin', '/O=system:masters/CN=store-platform-admin', 'clientAuth');
  openssl(dir, 'genrsa', '-out', 'sa.key', '2048');
  openssl(dir, 'rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  return pki;
}

function issue(dir: string, name: string, subject: string, usage: string, sans?: string): void {
  const ext = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage}`,
    ...(sans ? [`subjectAltName=${sans}`] : []),
  ];
  writeFileSync(join(dir, `${name}.ext`), `${ext.join('\n')}\n`);
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '3650', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
}

/** A client certificate signed by the cluster CA (e.g. a node's identity), made once per name. */
export function ensureClientCert(pki: Pki, name: string, subject: string): { cert: string; key: string } {
  const cert = join(pki.dir, `${name}.crt`);
  if (!existsSync(cert)) issue(pki.dir, name, subject, 'clientAuth');
  return { cert, key: join(pki.dir, `${name}.key`) };
}

import { readFileSync, writeFileSync } from 'node:fs';

export interface KubeconfigIdentity {
  readonly server: string;
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
  /** User name shown in the file (the certificate decides who it is). */
  readonly user: string;
}

/** Writes a kubeconfig with the certificates inlined, readable by the owner only. */
export function writeKubeconfig(path: string, id: KubeconfigIdentity): void {
  const b64 = (file: string): string => readFileSync(file).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'store-platform-sim', cluster: { server: id.server, 'certificate-authority-data': b64(id.caCert) } }],
    users: [{ name: id.user, user: { 'client-certificate-data': b64(id.cert), 'client-key-data': b64(id.key) } }],
    contexts: [{ name: 'store-platform-sim', context: { cluster: 'store-platform-sim', user: id.user } }],
    'current-context': 'store-platform-sim',
  };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}

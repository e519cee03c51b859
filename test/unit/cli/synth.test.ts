import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { run } from '../../../src/cli/main.js';
import { REDACTED } from '../../../src/manifests/synth.js';

/** Runs the CLI in-process and captures its output. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

function docs(yamlText: string): Record<string, any>[] {
  return parseAllDocuments(yamlText).map((d) => d.toJS() as Record<string, any>).filter((d) => d !== null);
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('store-platform synth', () => {
  it('prints every object as multi-document YAML in apply order', async () => {
    const { code, stdout, stderr } = await cli('synth', '--name', 'my-shop', '--plan', 'standard', '--domain', '127.0.0.1.nip.io');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const objects = docs(stdout);
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'store-my-shop' } });
    expect(objects.at(-1)).toMatchObject({ kind: 'Job', metadata: { name: 'store-check' } });
    expect(objects.find((o) => o.kind === 'Ingress')?.spec.rules[0].host).toBe('my-shop.127.0.0.1.nip.io');
    expect(stdout).toMatch(/^# step 1\/9: namespace \(Namespace\); ready when NamespaceActive/);
  });

  it('redacts every Secret value unless --reveal-secrets', async () => {
    const hidden = docs((await cli('synth', '--name', 'my-shop')).stdout).filter((o) => o.kind === 'Secret');
    expect(hidden).toHaveLength(3);
    for (const s of hidden) for (const v of Object.values(s.stringData as Record<string, string>)) expect(v).toBe(REDACTED);

    const shown = docs((await cli('synth', '--name', 'my-shop', '--reveal-secrets')).stdout).filter((o) => o.kind === 'Secret');
    const admin = shown.find((s) => s.metadata.name === 'wordpress-admin');
    expect(admin?.stringData.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('writes one file per step with --out', async () => {
    const out = mkdtempSync(join(tmpdir(), 'synth-'));
    dirs.push(out);
    const { code, stdout } = await cli('synth', '--name', 'my-shop', '--out', out);
    expect(code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      '01-namespace.yaml',
      '02-guardrails.yaml',
      '03-secrets.yaml',
      '04-network-policy.yaml',
      '05-mysql.yaml',
      '06-wordpress.yaml',
      '07-store-setup.yaml',
      '08-ingress.yaml',
      '09-store-check.yaml',
    ]);
    expect(stdout.trim().split('\n')).toHaveLength(9);
    expect(docs(readFileSync(join(out, '05-mysql.yaml'), 'utf8')).map((o) => o.kind)).toEqual(['ConfigMap', 'Service', 'StatefulSet']);
  });

  it('applies platform flags (TLS, custom domain, ingress class)', async () => {
    const { stdout } = await cli('synth', '--name', 'my-shop', '--custom-domain', 'shop.example.org', '--tls', '--cluster-issuer', 'le', '--ingress-class', 'traefik');
    const ing = docs(stdout).find((o) => o.kind === 'Ingress')!;
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'le' });
    expect(ing.spec).toMatchObject({ ingressClassName: 'traefik', rules: [{ host: 'shop.example.org' }] });
  });

  it.each([
    [['synth', '--name', 'my-shop', '--bogus'], /Unknown option '--bogus'/],
    [['synth'], /--name is required/],
    [['synth', '--name', 'X_1'], /--name: /],
    [['synth', '--name', 'my-shop', '--plan', 'huge'], /--plan: /],
    [['synth', '--name', 'my-shop', '--email', 'nope'], /--email: /],
    [['synth', '--name', 'my-shop', '--engine', 'shopify'], /--engine: /],
    [['synth', '--name', 'my-shop', '--domain', 'not a domain'], /--domain: /],
    [['synth', 'extra-positional', '--name', 'my-shop'], /positional/i],
    [['synth', '--name'], /argument missing|--name/],
    [['nope'], /unknown command 'nope'/],
  ])('fails on bad input %j with one line and exit code 2', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints help with exit 0', async () => {
    const { code, stdout } = await cli('synth', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--reveal-secrets');
    expect((await cli('--help')).stdout).toContain('synth');
  });
});

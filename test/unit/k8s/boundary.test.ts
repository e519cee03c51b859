import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Import boundaries: src/k8s is the only door to the cluster, and it never imports back up the layers.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Module specifiers of every import and re-export (static and dynamic) in a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('import boundaries', () => {
  it('finds the files it checks (a broken walk must not pass)', () => {
    expect(sources('src').length).toBeGreaterThan(40);
    expect(sources('src/k8s')).toContain(join('src', 'k8s', 'client.ts'));
    expect(importsOf(join('src', 'k8s', 'client.ts'))).toContain('@kubernetes/client-node');
  });

  it('lets nothing outside src/k8s import @kubernetes/client-node', () => {
    const offenders = [...sources('src'), ...sources('constructs')]
      .filter((f) => !f.startsWith(join('src', 'k8s') + '/'))
      .filter((f) => importsOf(f).some((s) => s === '@kubernetes/client-node' || s.startsWith('@kubernetes/client-node/')));
    expect(offenders).toEqual([]);
  });

  it('keeps src/k8s below the provisioner, the HTTP layer and the database', () => {
    const upward = sources('src/k8s').flatMap((f) =>
      importsOf(f).filter((s) => /^\.\.\/(provisioner|http|db|manifests|auth|cli|web)\//.test(s)).map((s) => `${f} -> ${s}`));
    expect(upward).toEqual([]);
  });

  it('keeps constructs pure: no import from src/', () => {
    const offenders = sources('constructs').flatMap((f) => importsOf(f).filter((s) => /\/src\//.test(s) || s.startsWith('../src')).map((s) => `${f} -> ${s}`));
    expect(offenders).toEqual([]);
  });
});

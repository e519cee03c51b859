import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's Layout table and engine recipe name files and folders: every one of them must exist.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function section(title: string): string {
  const start = README.indexOf(`## ${title}\n`);
  if (start < 0) throw new Error(`README has no section '${title}'`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

const ticked = (text: string): string[] => [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
const looksLikePath = (t: string): boolean => /^[\w.-]+(\/[\w.+-]*)*$/.test(t) && (t.endsWith('/') || /\.(ts|sh|json)$/.test(t));

/** Paths named in the Layout table, each resolved against the row's folder when it is relative. */
function layoutPaths(): string[] {
  const rows = section('Layout').split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((row) => {
    const [where, what] = row.split('|').slice(1, 3) as [string, string];
    const bases = ticked(where).filter((t) => t.endsWith('/'));
    const base = bases.length === 1 ? bases[0]! : undefined;
    const named = ticked(what).filter(looksLikePath).map((t) => {
      if (existsSync(join(ROOT, t)) || base === undefined) return t;
      return join(base, t);
    });
    return [...bases, ...named];
  });
}

describe('README', () => {
  it('names only files and folders that exist in its Layout table', () => {
    const paths = layoutPaths();
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('names only existing files in the engine recipe', () => {
    const paths = ticked(section('Adding an engine')).filter((t) => looksLikePath(t) && t.includes('/') && !t.startsWith('constructs/medusa'));
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });
});

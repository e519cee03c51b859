import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../src/error-catalogue.js';

// The README's error table and the catalogue the code answers from must say the same thing.
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** code -> statuses, from the rows of the table under "### Errors" ("413 / 415 | A / B" pairs up). */
function readmeTable(): Map<string, number[]> {
  const section = README.slice(README.indexOf('### Errors'));
  const rows = section.slice(0, section.indexOf('\n\n', section.indexOf('| status |'))).split('\n').filter((l) => /^\| \d/.test(l));
  const table = new Map<string, number[]>();
  for (const row of rows) {
    const [statusCell, codeCell] = row.split('|').slice(1, 3).map((c) => c.trim()) as [string, string];
    const statuses = statusCell.split('/').map((s) => Number(s.trim()));
    const groups = codeCell.split(' / ');
    groups.forEach((group, i) => {
      for (const code of group.split(',').map((c) => c.trim())) {
        table.set(code, groups.length > 1 ? [statuses[i]!] : statuses);
      }
    });
  }
  return table;
}

describe('error catalogue', () => {
  it('reads the README table (a broken parse must not pass)', () => {
    expect(readmeTable().size).toBeGreaterThan(15);
    expect(readmeTable().get('KUBERNETES_API_ERROR')).toEqual([502, 503]);
  });

  it('gives every code in the README the status the README says', () => {
    const wrong = [...readmeTable()].filter(([code, statuses]) =>
      !Object.hasOwn(ERROR_CATALOGUE, code) || JSON.stringify([...ERROR_CATALOGUE[code as ErrorCode].statuses]) !== JSON.stringify(statuses));
    expect(wrong).toEqual([]);
  });

  it('lists in the README every code not marked undocumented', () => {
    const table = readmeTable();
    const missing = Object.entries(ERROR_CATALOGUE)
      .filter(([code, e]) => !('documented' in e) && !table.has(code))
      .map(([code]) => code);
    expect(missing).toEqual([]);
  });
});

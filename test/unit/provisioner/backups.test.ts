import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertBackupId } from '../../../constructs/index.js';
import { failureOf, newBackupId, restoreLeftStoreAsItWas, resultOf } from '../../../src/provisioner/backups.js';

describe('backup runs', () => {
  it('draws ids that name a Job and sort by time', () => {
    const a = newBackupId(new Date(1_700_000_000_000));
    const b = newBackupId(new Date(1_700_000_000_001));
    expect(assertBackupId(a)).toBe(a);
    expect(`restore-${a}`.length).toBeLessThanOrEqual(52); // a Job name leaves room for its pods' suffix
    expect(a < b).toBe(true);
  });

  it('reads the script\'s result line from the termination message', () => {
    expect(resultOf({ state: 'succeeded', message: '{"backup":"x","durationSeconds":7,"sizeBytes":123,"files":2}' })).toEqual({ durationSeconds: 7, sizeBytes: 123 });
    expect(resultOf({ state: 'succeeded' })).toBeUndefined();
    expect(resultOf({ state: 'succeeded', message: 'not json' })).toBeUndefined();
    expect(resultOf({ state: 'succeeded', message: '{"sizeBytes":-1,"durationSeconds":"3"}' })).toEqual({});
  });

  it('fails with the script\'s FAILED line, else the last log line, else the Job\'s condition', () => {
    const logs = '12:00:01 backup: dumping\n12:00:09 backup: uploading\nbackup: FAILED: the backup repository for store acme cannot be opened: dial tcp: connection refused\n';
    expect(failureOf({ state: 'failed', message: logs, reason: 'BackoffLimitExceeded: Job has reached the specified backoff limit' }))
      .toBe('the backup repository for store acme cannot be opened: dial tcp: connection refused');
    expect(failureOf({ state: 'failed', message: 'a\nlast line\n' })).toBe('last line');
    expect(failureOf({ state: 'failed', reason: 'DeadlineExceeded: Job was active longer than specified deadline' })).toBe('DeadlineExceeded: Job was active longer than specified deadline');
    expect(failureOf({ state: 'failed' })).toBe('the Job failed without a message');
    expect(failureOf({ state: 'failed', message: `x: FAILED: ${'y'.repeat(900)}` }).length).toBe(500);
  });

  it('reads from every failure of the engines\' restore scripts whether the store was left as it was', () => {
    // the store comes back Ready after these; only a database the script says is incomplete leaves it Failed
    const messages = ['woocommerce', 'medusa'].flatMap((engine) =>
      [...readFileSync(`constructs/${engine}/scripts/restore.sh`, 'utf8').matchAll(/die "([^"]*)"/g)].map((m) => m[1]!));
    expect(messages.length).toBeGreaterThanOrEqual(7);
    for (const message of messages) expect(restoreLeftStoreAsItWas(message), message).toBe(!/is incomplete/.test(message));
    expect(restoreLeftStoreAsItWas('refusing to restore: simulated damaged backup (kwok)')).toBe(true);
  });
});

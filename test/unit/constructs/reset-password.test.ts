import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResetPasswordJob, DEFAULT_PLATFORM_SETTINGS, storeLabels } from '../../../constructs/index.js';
import { aSpec, podTemplates } from './fixtures.js';

describe('buildResetPasswordJob', () => {
  const job = buildResetPasswordJob('acme', { spec: aSpec(), platform: DEFAULT_PLATFORM_SETTINGS, jobName: 'reset-admin-password-3' });

  it('builds a labelled Job in the store namespace', () => {
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'reset-admin-password-3', namespace: 'store-acme' } });
    expect(job.metadata.labels).toMatchObject(storeLabels('acme'));
  });

  it('reads the new password from the wordpress-admin Secret, never from a literal', () => {
    const [t] = podTemplates([job]);
    const c = t!.spec.containers[0]!;
    expect(c.env?.find((e) => e.name === 'ADMIN_PASSWORD')).toEqual({
      name: 'ADMIN_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'wordpress-admin', key: 'password' } },
    });
  });

  it('pipes the password to wp-cli\'s --prompt as one line, never onto its command line (run against a fake wp)', () => {
    const [t] = podTemplates([job]);
    const command = (t!.spec.containers[0] as unknown as { command: string[] }).command;
    const dir = mkdtempSync(join(tmpdir(), 'reset-password-'));
    try {
      // the fake records its arguments and what it read from stdin, as wp-cli's --prompt would read it
      writeFileSync(join(dir, 'wp'), '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$FAKE/argv"\ncat > "$FAKE/stdin"\n');
      chmodSync(join(dir, 'wp'), 0o755);
      execFileSync(command[0]!, command.slice(1), { env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, FAKE: dir, ADMIN_USER: 'admin', ADMIN_PASSWORD: 'n3w-secret-Passw0rd' } });
      expect(readFileSync(join(dir, 'stdin'), 'utf8')).toBe('n3w-secret-Passw0rd\n');
      const argv = readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n');
      expect(argv).toEqual(['--path=/var/www/html', 'user', 'update', 'admin', '--prompt=user_pass', '--skip-plugins', '--skip-themes', '--skip-email']);
      expect(JSON.stringify(command)).not.toContain('user_pass=');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is admitted by the same rules as the store pods (non-root, no privilege escalation)', () => {
    const [t] = podTemplates([job]);
    expect(t!.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 33 });
    expect(t!.labels['store-platform.io/db-client']).toBe('true');
  });

  it('fails on a slug that does not match the spec or a bad job name', () => {
    expect(() => buildResetPasswordJob('other', { spec: aSpec(), platform: DEFAULT_PLATFORM_SETTINGS })).toThrow(/does not match/);
    expect(() => buildResetPasswordJob('acme', { spec: aSpec(), platform: DEFAULT_PLATFORM_SETTINGS, jobName: 'Bad Name' })).toThrow(/RFC 1123/);
  });
});

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
    expect((c as unknown as { command: string[] }).command.join(" ")).toContain('wp --path=/var/www/html user update "$ADMIN_USER" --user_pass="$ADMIN_PASSWORD"');
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

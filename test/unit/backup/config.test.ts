import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKUP_IMAGE } from '../../../constructs/index.js';
import { backupSettings, ConfigError, loadConfig } from '../../../src/config.js';
import { checkBackupTarget, signedRequest } from '../../../src/backup/s3-check.js';

const KEY = 'ab'.repeat(32);
const target = {
  BACKUP_S3_ENDPOINT: 'http://10.1.2.3:9000',
  BACKUP_S3_BUCKET: 'store-backups',
  BACKUP_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  BACKUP_S3_SECRET_ACCESS_KEY: 'very-secret-access-key',
  BACKUP_ESCROW_KEY: KEY,
};

describe('backup configuration', () => {
  it('is off without an endpoint', () => {
    expect(backupSettings(loadConfig({}))).toBeUndefined();
  });

  it('builds the target, the egress from an IPv4 endpoint and the escrow', () => {
    const b = backupSettings(loadConfig(target))!;
    expect(b.target).toEqual({
      endpoint: 'http://10.1.2.3:9000', bucket: 'store-backups', region: 'us-east-1', image: DEFAULT_BACKUP_IMAGE,
      egress: { cidrs: ['10.1.2.3/32'], port: 9000 },
    });
    expect(b.credentials).toEqual({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'very-secret-access-key' });
    expect(b.escrow).toEqual({ key: Buffer.from(KEY, 'hex'), namespace: 'store-platform', name: 'store-platform-backup-keys' });
    expect(b).toMatchObject({ beforeDelete: true, concurrency: 2, pathStyle: undefined, scheduleHours: undefined });
    expect(backupSettings(loadConfig({ ...target, BACKUP_SCHEDULE_HOURS: '6' }))!.scheduleHours).toBe(6);
    expect(backupSettings(loadConfig({ ...target, BACKUP_SCHEDULE_HOURS: '0' }))!.scheduleHours).toBe(0);
  });

  it('takes path style, CIDRs, an in-cluster server and a base64 key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const b = backupSettings(loadConfig({
      ...target, BACKUP_S3_ENDPOINT: 'https://s3.example.com', BACKUP_S3_EGRESS_CIDRS: '203.0.113.0/24', BACKUP_S3_PATH_STYLE: 'false', BACKUP_ESCROW_KEY: key,
    }))!;
    expect(b.target).toMatchObject({ endpoint: 'https://s3.example.com', egress: { cidrs: ['203.0.113.0/24'], port: 443 }, bucketLookup: 'dns' });
    expect(b.escrow.key.equals(Buffer.alloc(32, 7))).toBe(true);
    const inCluster = backupSettings(loadConfig({
      ...target, BACKUP_S3_ENDPOINT: 'http://minio.minio.svc:9000', BACKUP_S3_NAMESPACE: 'minio', BACKUP_S3_POD_LABELS: 'app=minio',
    }))!;
    expect(inCluster.target.egress).toEqual({ namespace: 'minio', podLabels: { app: 'minio' }, port: 9000 });
  });

  it('fails in one line on an incomplete target, naming what is missing and never a key', () => {
    const run = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        const msg = (e as Error).message;
        expect(msg).not.toContain('\n');
        expect(msg).not.toContain('very-secret-access-key');
        expect(msg).not.toContain(KEY);
        return msg;
      }
      throw new Error('expected a ConfigError');
    };
    expect(run({ BACKUP_S3_ENDPOINT: 'http://10.1.2.3' })).toMatch(/BACKUP_S3_BUCKET, BACKUP_S3_ACCESS_KEY_ID \(or BACKUP_S3_CREDENTIALS_FILE\), BACKUP_S3_SECRET_ACCESS_KEY .*BACKUP_ESCROW_KEY$/);
    expect(run({ BACKUP_S3_BUCKET: 'b-1', BACKUP_S3_SECRET_ACCESS_KEY: 'very-secret-access-key' })).toMatch(/BACKUP_S3_BUCKET, BACKUP_S3_SECRET_ACCESS_KEY set but BACKUP_S3_ENDPOINT is not/);
    expect(run({ ...target, BACKUP_S3_ENDPOINT: 'ftp://10.1.2.3' })).toMatch(/BACKUP_S3_ENDPOINT: an http\(s\) URL/);
    expect(run({ ...target, BACKUP_S3_ENDPOINT: 'http://10.1.2.3/path' })).toMatch(/without path/);
    expect(run({ ...target, BACKUP_S3_ENDPOINT: 'https://s3.example.com' })).toMatch(/BACKUP_S3_EGRESS_CIDRS: needed/);
    expect(run({ ...target, BACKUP_ESCROW_KEY: 'too-short' })).toMatch(/BACKUP_ESCROW_KEY: 32 bytes/);
    expect(run({ ...target, BACKUP_S3_BUCKET: 'Bad_Bucket' })).toMatch(/BACKUP_S3_BUCKET: an S3 bucket name/);
    expect(run({ ...target, BACKUP_IMAGE: 'backup' })).toMatch(/BACKUP_IMAGE: pin a tag or digest/);
    expect(run({ ...target, BACKUP_S3_NAMESPACE: 'minio' })).toMatch(/go together/);
    expect(run({ BACKUP_SCHEDULE_HOURS: '24' })).toMatch(/BACKUP_SCHEDULE_HOURS set but BACKUP_S3_ENDPOINT is not/);
    expect(run({ ...target, BACKUP_SCHEDULE_HOURS: '1.5' })).toMatch(/BACKUP_SCHEDULE_HOURS/);
  });

  it('reads the keys from an env file or a mounted Secret folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-bk-'));
    const envFile = join(dir, 'creds.env');
    writeFileSync(envFile, "# S3\nexport AWS_ACCESS_KEY_ID=AKIDFILE\nAWS_SECRET_ACCESS_KEY='file-secret'\n");
    const base = { BACKUP_S3_ENDPOINT: target.BACKUP_S3_ENDPOINT, BACKUP_S3_BUCKET: 'store-backups', BACKUP_ESCROW_KEY: KEY };
    expect(backupSettings(loadConfig({ ...base, BACKUP_S3_CREDENTIALS_FILE: envFile }))!.credentials).toEqual({ accessKeyId: 'AKIDFILE', secretAccessKey: 'file-secret' });
    const mounted = join(dir, 'secret');
    mkdirSync(mounted);
    writeFileSync(join(mounted, 'access-key-id'), 'AKIDMOUNT\n');
    writeFileSync(join(mounted, 'secret-access-key'), 'mount-secret\n');
    expect(backupSettings(loadConfig({ ...base, BACKUP_S3_CREDENTIALS_FILE: mounted }))!.credentials).toEqual({ accessKeyId: 'AKIDMOUNT', secretAccessKey: 'mount-secret' });
    writeFileSync(join(dir, 'empty.env'), 'NOTHING=here\n');
    expect(() => loadConfig({ ...base, BACKUP_S3_CREDENTIALS_FILE: join(dir, 'empty.env') })).toThrow(/must hold AWS_ACCESS_KEY_ID/);
    expect(() => loadConfig({ ...base, BACKUP_S3_CREDENTIALS_FILE: join(dir, 'missing') })).toThrow(/cannot read .*ENOENT/);
    expect(() => loadConfig({ ...target, BACKUP_S3_CREDENTIALS_FILE: envFile })).toThrow(/not both/);
  });

  it('with REQUIRE_IMAGE_DIGESTS, names the backup image when backups are on', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const medusa = `registry.example/medusa:2@${digest}`;
    expect(() => loadConfig({ ...target, REQUIRE_IMAGE_DIGESTS: 'true', MEDUSA_IMAGE: medusa })).toThrow(/BACKUP_IMAGE \('store-platform\/backup:[^']+', the default\)$/);
    expect(() => loadConfig({ ...target, REQUIRE_IMAGE_DIGESTS: 'true', MEDUSA_IMAGE: medusa, BACKUP_IMAGE: `registry.example/backup:1@${digest}` })).not.toThrow();
    expect(() => loadConfig({ REQUIRE_IMAGE_DIGESTS: 'true', MEDUSA_IMAGE: medusa })).not.toThrow();
  });
});

describe('checkBackupTarget', () => {
  const settings = backupSettings(loadConfig(target))!;

  it('signs like AWS Signature Version 4 (the documented example key and date)', () => {
    const { url, headers } = signedRequest(
      { ...settings, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
      'HEAD', new Date('2013-05-24T00:00:00Z'),
    );
    expect(url).toBe('http://10.1.2.3:9000/store-backups');
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20130524\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    const dns = signedRequest({ ...settings, target: { ...settings.target, endpoint: 'https://s3.example.com' }, pathStyle: false }, 'HEAD', new Date());
    expect(dns.url).toBe('https://store-backups.s3.example.com/');
    expect(dns.headers.host).toBe('store-backups.s3.example.com');
  });

  it('passes on 200 and fails in one line on 404, 403 and an unreachable endpoint', async () => {
    let status = 200;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${String(req.headers.authorization).slice(0, 16)}`);
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const local = { ...settings, target: { ...settings.target, endpoint: `http://127.0.0.1:${port}` } };
    try {
      await checkBackupTarget(local);
      expect(seen).toEqual(['HEAD /store-backups AWS4-HMAC-SHA256']);
      status = 404;
      await expect(checkBackupTarget(local)).rejects.toThrow(/^backup target http:\/\/127.0.0.1:\d+, bucket 'store-backups': the bucket does not exist$/);
      status = 403;
      await expect(checkBackupTarget(local)).rejects.toThrow(/access denied/);
    } finally {
      await new Promise((r) => server.close(r));
    }
    await expect(checkBackupTarget(local, { timeoutMs: 2000 })).rejects.toThrow(/unreachable \(ECONNREFUSED\)/);
  });
});

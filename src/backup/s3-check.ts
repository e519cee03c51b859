import { createHash, createHmac } from 'node:crypto';
import type { BackupSettings } from '../config.js';

// The start-up check of the backup target: one signed HEAD of the bucket (AWS Signature Version 4),
// so a wrong endpoint, bucket or key stops the platform with one line instead of failing every backup.

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** The URL and headers of a SigV4-signed request without a body. Pure (the clock is an argument). */
export function signedRequest(
  settings: Pick<BackupSettings, 'target' | 'credentials' | 'pathStyle'>, method: string, now: Date,
): { url: string; headers: Record<string, string> } {
  const { target, credentials } = settings;
  const endpoint = new URL(target.endpoint);
  const virtual = settings.pathStyle === false;
  const host = virtual ? `${target.bucket}.${endpoint.host}` : endpoint.host;
  const path = virtual ? '/' : `/${target.bucket}`;
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payload = sha256('');
  const headers: Record<string, string> = { host, 'x-amz-content-sha256': payload, 'x-amz-date': amzDate };
  const names = Object.keys(headers).sort();
  const canonical = [method, path, '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), payload].join('\n');
  const scope = `${day}/${target.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), target.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    url: `${endpoint.protocol}//${host}${path}`,
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    },
  };
}

/**
 * Resolves when the bucket answers a signed HEAD with 2xx; otherwise rejects with one line naming the
 * endpoint and bucket and what went wrong (never a key).
 */
export async function checkBackupTarget(
  settings: Pick<BackupSettings, 'target' | 'credentials' | 'pathStyle'>,
  opts: { timeoutMs?: number; fetch?: typeof fetch; now?: () => Date } = {},
): Promise<void> {
  const { target } = settings;
  const where = `backup target ${target.endpoint}, bucket '${target.bucket}'`;
  const { url, headers } = signedRequest(settings, 'HEAD', (opts.now ?? (() => new Date()))());
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { method: 'HEAD', headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new Error(`${where}: unreachable (${cause})`, { cause: err });
  }
  if (res.ok) return;
  const why = res.status === 404 ? 'the bucket does not exist'
    : res.status === 403 ? 'access denied (check the access key and its rights on the bucket)'
      : res.status === 301 || res.status === 400 ? `refused the request (HTTP ${res.status}: wrong region or bucket addressing? BACKUP_S3_REGION, BACKUP_S3_PATH_STYLE)`
        : `answered HTTP ${res.status}`;
  throw new Error(`${where}: ${why}`);
}

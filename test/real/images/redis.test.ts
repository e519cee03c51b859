import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFor, listeningSockets } from './support/prereqs.js';
import { Container, type UnpackedImage, waitFor } from './support/runc.js';

// The Redis stand-in with the official redis image's contract, as a restricted pod (uid 999,
// capabilities dropped, a /data volume as emptyDir).
describe('redis stand-in (redis image contract)', () => {
  let image: UnpackedImage;
  let redis: Container;

  beforeAll(async () => {
    image = await imageFor('redis');
    redis = await Container.start(image, { user: { uid: 999, gid: 999, fsGroup: 999 }, readOnlyRootFilesystem: true, emptyDirs: ['/data'] });
    await waitFor('PING', async () => (await redis.exec(['redis-cli', '-h', '127.0.0.1', 'ping'])).stdout.trim() === 'PONG', 30_000, () => redis.logs());
  });
  afterAll(async () => {
    await redis?.remove();
    await image?.remove();
  });

  it('answers PING on 6379 on every interface, with protected mode off like the official build', async () => {
    expect((await redis.exec(['redis-cli', '-h', '127.0.0.1', '-p', '6379', 'ping'])).stdout.trim()).toBe('PONG');
    expect((await redis.exec(['redis-cli', 'config', 'get', 'protected-mode'])).stdout.split('\n')[1]).toBe('no');
    expect(await listeningSockets(redis)).toContain('0.0.0.0:6379');
  });

  it('runs as uid 999 in /data and writes its snapshot there', async () => {
    const ps = await redis.exec(['sh', '-c', 'for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = redis-server ] && stat -c %u $p && readlink $p/cwd; done']);
    expect(ps.stdout.trim().split('\n')).toEqual(['999', '/data']);
    expect((await redis.exec(['redis-cli', 'set', 'cart:1', 'sample'])).stdout.trim()).toBe('OK');
    expect((await redis.exec(['redis-cli', 'save'])).stdout.trim()).toBe('OK');
    expect((await redis.exec(['ls', '/data'])).stdout.trim()).toBe('dump.rdb');
  });
});

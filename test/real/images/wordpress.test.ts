import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as k8s from '../../../imports/k8s.js';
import { MYSQL_DATA_DIR, MYSQL_UID, MYSQL_VOLUME_PATH } from '../../../constructs/woocommerce/mysql.js';
import { APACHE_PORTS_CONF, APACHE_SITE_CONF, DOCROOT, WWW_DATA_UID, wordpressConfigEnv } from '../../../constructs/woocommerce/wordpress.js';
import { planTable } from '../../../constructs/plans.js';
import { curlArgs, fsGroupVolume, imageFor, splitStatus } from './support/prereqs.js';
import { Container, runToCompletion, type UnpackedImage, waitFor } from './support/runc.js';

// The WordPress stand-in run as constructs/woocommerce/wordpress.ts runs the official image: www-data
// (33) with fsGroup 33, the construct's ports.conf and 000-default.conf (port 8080), an emptyDir
// docroot, a wp-content volume, and the construct's own environment (wordpressConfigEnv) resolved
// against test secrets. The database is the MariaDB stand-in in the same network namespace, reached
// by the Service name `mysql` (an /etc/hosts entry here, cluster DNS on a node).
const URL_ = 'http://shop.example.test';
const DB = { rootPassword: 'root-pw-1', username: 'wordpress', password: 'wp-db-pw-2' };
const SECRETS: Record<string, Record<string, string>> = {
  'mysql-credentials': { username: DB.username, password: DB.password },
  'wordpress-salts': Object.fromEntries(['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'].map((k) => [k, `${k}-test-salt`])),
};

function resolveEnv(vars: readonly k8s.EnvVar[]): Record<string, string> {
  return Object.fromEntries(
    vars.map((v) => {
      const ref = v.valueFrom?.secretKeyRef;
      const value = v.value ?? (ref?.name ? SECRETS[ref.name]?.[ref.key] : undefined);
      if (value === undefined) throw new Error(`test has no value for ${v.name}`);
      return [v.name, value];
    }),
  );
}

function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stand-in-emptydir-'));
  chmodSync(dir, 0o777); // the kubelet's emptyDir mode
  return dir;
}

describe('wordpress stand-in (wordpress:apache image contract)', () => {
  let wordpress: UnpackedImage;
  let mariadb: UnpackedImage;
  let db: Container;
  let web: Container;
  const dirs: string[] = [];
  const containers: Container[] = [];
  const env = resolveEnv(wordpressConfigEnv({ url: URL_, plan: planTable.small }));
  const http = async (path: string, extra: string[] = []) =>
    splitStatus((await web.inNetwork(curlArgs(`http://127.0.0.1:8080${path}`, ['-H', 'Host: shop.example.test', ...extra]))).stdout);

  beforeAll(async () => {
    [mariadb, wordpress] = [await imageFor('mariadb'), await imageFor('wordpress')];
    const dbVolume = fsGroupVolume(MYSQL_UID);
    const docroot = emptyDir();
    const content = fsGroupVolume(WWW_DATA_UID);
    const conf = mkdtempSync(join(tmpdir(), 'stand-in-apache-'));
    writeFileSync(join(conf, 'ports.conf'), APACHE_PORTS_CONF);
    writeFileSync(join(conf, '000-default.conf'), APACHE_SITE_CONF);
    dirs.push(dbVolume, docroot, content, conf);
    db = await Container.start(mariadb, {
      args: [`--datadir=${MYSQL_DATA_DIR}`, '--skip-name-resolve'],
      env: { MYSQL_ROOT_PASSWORD: DB.rootPassword, MYSQL_DATABASE: env.WORDPRESS_DB_NAME!, MYSQL_USER: DB.username, MYSQL_PASSWORD: DB.password },
      user: { uid: MYSQL_UID, gid: MYSQL_UID, fsGroup: MYSQL_UID },
      mounts: [{ source: dbVolume, destination: MYSQL_VOLUME_PATH }],
    });
    containers.push(db);
    await waitFor('mariadb on 3306', async () => (await db.exec(['mysqladmin', 'ping', '--protocol=TCP', '-h', '127.0.0.1', '--silent'])).code === 0, 150_000, () => db.logs());
    web = await Container.start(wordpress, {
      env,
      user: { uid: WWW_DATA_UID, gid: WWW_DATA_UID, fsGroup: WWW_DATA_UID },
      podOf: db,
      loopbackNames: [env.WORDPRESS_DB_HOST!],
      mounts: [
        { source: docroot, destination: DOCROOT },
        { source: content, destination: `${DOCROOT}/wp-content` },
        { source: join(conf, 'ports.conf'), destination: '/etc/apache2/ports.conf', readOnly: true },
        { source: join(conf, '000-default.conf'), destination: '/etc/apache2/sites-available/000-default.conf', readOnly: true },
      ],
    });
    containers.push(web);
    await waitFor('startup probe (blank.gif on 8080)', async () => (await http('/wp-includes/images/blank.gif')).status === 200, 60_000, () => web.logs());
  });
  afterAll(async () => {
    for (const c of containers.reverse()) await c.remove();
    await wordpress?.remove();
    await mariadb?.remove();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('copies WordPress into the empty docroot and wp-content volume as uid 33, with wp-config.php from the env', async () => {
    expect(web.logs()).toMatch(/WordPress not found in \/var\/www\/html - copying now/);
    const docroot = dirs[1]!;
    expect(statSync(join(docroot, 'wp-config.php')).uid).toBe(WWW_DATA_UID);
    expect(statSync(join(docroot, 'wp-includes', 'version.php')).uid).toBe(WWW_DATA_UID);
    expect(readdirSync(join(dirs[2]!, 'themes'))).toContain('twentytwentythree');
    const config = await web.exec(['php', '-r', 'echo getenv("WORDPRESS_CONFIG_EXTRA") !== false ? "extra" : "none";']);
    expect(config.stdout).toBe('extra');
  });

  it('serves Apache on 8080 as www-data only', async () => {
    const ps = await web.exec(['sh', '-c', 'for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = apache2 ] && stat -c %u $p; done | sort -u']);
    expect(ps.stdout.trim()).toBe('33');
    expect((await web.inNetwork(['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:80/'])).stdout).toBe('000');
  });

  it('reaches its database: wp-login.php sends a new site to the installer, and the install completes', async () => {
    const login = await http('/wp-login.php', ['-D', '-']);
    expect(login.status).toBe(302);
    expect(login.body).toMatch(/Location: http:\/\/shop\.example\.test\/wp-admin\/install\.php/i);
    const install = await http('/wp-admin/install.php?step=2', [
      '--data-urlencode', 'weblog_title=Stand-in Shop', '--data-urlencode', 'user_name=admin',
      '--data-urlencode', 'admin_password=correct horse battery staple', '--data-urlencode', 'admin_password2=correct horse battery staple',
      '--data-urlencode', 'pw_weak=1', '--data-urlencode', 'admin_email=admin@example.test', '--data-urlencode', 'blog_public=0',
    ]);
    expect(install.status).toBe(200);
    expect(install.body).toMatch(/Success!/);
    expect((await http('/wp-login.php')).status).toBe(200);
    const tables = await db.exec(['mysql', '--protocol=TCP', '-h', '127.0.0.1', '-u', DB.username, '-N', '-e', 'SELECT option_value FROM wordpress.wp_options WHERE option_name = "blogname"'], { env: { MYSQL_PWD: DB.password } });
    expect(tables.stdout.trim()).toBe('Stand-in Shop');
  });

  it('renders the front page with the twentytwentythree theme', async () => {
    const home = await http('/');
    expect(home.status).toBe(200);
    expect(home.body).toMatch(/<title>Stand-in Shop<\/title>/);
    expect(home.body).toMatch(/themes\/twentytwentythree/);
  });

  it('stages core with docker-ensure-installed.sh on a read-only root without starting Apache (the wp-cli init container)', async () => {
    const docroot = emptyDir();
    dirs.push(docroot);
    const logs = await runToCompletion(wordpress, {
      command: ['docker-ensure-installed.sh', 'true'],
      env,
      user: { uid: WWW_DATA_UID, gid: WWW_DATA_UID, fsGroup: WWW_DATA_UID },
      workingDir: DOCROOT,
      readOnlyRootFilesystem: true,
      emptyDirs: ['/tmp'],
      mounts: [{ source: docroot, destination: DOCROOT }],
    });
    expect(logs).toMatch(/Complete! WordPress has been successfully copied/);
    expect(statSync(join(docroot, 'wp-config.php')).size).toBeGreaterThan(0);
    expect(logs).not.toMatch(/AH\d+/); // no Apache message: it never ran
  });

  it('fails readiness (500) when the database is gone', async () => {
    await db.stop(); // the network namespace lives on in the WordPress container, as a pod's would
    const r = await http('/wp-login.php');
    expect(r.status).toBe(500);
    expect(r.body).toMatch(/Error establishing a database connection/);
});
});

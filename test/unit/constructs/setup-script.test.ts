import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// Runs constructs/woocommerce/scripts/setup-store.sh with stand-ins for `wp` and `php` that keep WordPress
// state in files, to prove the script's idempotence and that it fails on a check that does not hold.

const run = promisify(execFile);

/** A `wp` that stores options and flags as files under $FAKE_STATE and logs every call. */
const FAKE_WP = String.raw`#!/bin/sh
set -eu
s="$FAKE_STATE"
# drop the global flags the script passes first (the site URL is what core install stores)
url=""
while [ "$#" -gt 0 ]; do case "$1" in --path=*) shift ;; --url=*) url="$(printf '%s' "$1" | cut -d= -f2-)"; shift ;; *) break ;; esac; done
echo "$*" >> "$s/calls"
if [ "$1" = eval-file ]; then
  case "$2" in
    *sample-product.php) touch "$s/product"; echo 42 ;;
    *verify.php) [ -e "$s/product" ] || echo "sample product missing" ;;
    *stored-url.php) cat "$s/opt-siteurl" 2>/dev/null || true ;;
  esac
  exit 0
fi
case "$1 $2" in
  "core is-installed") [ -e "$s/installed" ] ;;
  "core install") cat > "$s/admin-password"; touch "$s/installed"; printf '%s' "$url" > "$s/opt-siteurl"; printf '%s' "$url" > "$s/opt-home" ;;
  "core update-db") [ -e "$s/installed" ] && touch "$s/core-db-current" ;;
  "plugin is-installed") [ -e "$s/plugin-$3" ] ;;
  "plugin install")
    # like wp-cli: an installed plugin is replaced only with --force
    p="$3"; shift 3; v=""; force=""
    for a in "$@"; do case "$a" in --version=*) v="$(printf '%s' "$a" | cut -d= -f2-)" ;; --force) force=1 ;; *) echo "fake wp: plugin install $a" >&2; exit 3 ;; esac; done
    if [ -e "$s/plugin-$p" ] && [ -z "$force" ]; then echo "Warning: $p is already installed" >&2; exit 0; fi
    printf '%s' "$v" > "$s/plugin-$p"; rm -f "$s/wc-db-current" ;;
  "plugin get") [ "$4" = --field=version ] || exit 3; cat "$s/plugin-$3" ;;
  "wc update") [ -e "$s/active-woocommerce" ] && touch "$s/wc-db-current" ;;
  "plugin is-active") [ -e "$s/active-$3" ] ;;
  "plugin activate") touch "$s/active-$3" ;;
  "wc tool") : ;;
  "option update")
    # like wp-cli: every --word is an option (only --format is known here); no value positional: stdin
    key="$3"; shift 3; v=""; given=""
    for a in "$@"; do case "$a" in --format=*) ;; --*) echo "fake wp: option $a" >> "$s/options-seen"; exit 3 ;; *) v="$a"; given=1 ;; esac; done
    [ -n "$given" ] || v="$(cat)"
    if [ -e "$s/frozen-$key" ]; then exit 0; fi
    printf '%s' "$v" > "$s/opt-$key" ;;
  "option get") cat "$s/opt-$3" 2>/dev/null || true ;;
  "option pluck") sed -n 's/.*"enabled":"\([a-z]*\)".*/\1/p' "$s/opt-$3" ;;
  search-replace*)
    # like wp-cli: two positional words (old, new); flags other than the ones known here are refused
    shift; words=0
    for a in "$@"; do case "$a" in
      --all-tables-with-prefix|--skip-columns=*|--report-changed-only) ;;
      -*) echo "fake wp: search-replace $a" >&2; exit 3 ;;
      *) words=$((words + 1)) ;;
    esac; done
    [ "$words" = 2 ] || { echo "fake wp: search-replace takes old and new, got $words words" >&2; exit 3; }
    # the database: every option holding the old text gets the new in its place
    for f in "$s"/opt-*; do
      [ -e "$f" ] || continue
      [ ! -e "$s/frozen-$(basename "$f" | cut -c5-)" ] || continue
      awk -v old="$1" -v new="$2" '{ out = ""; while ((i = index($0, old)) > 0) { out = out substr($0, 1, i - 1) new; $0 = substr($0, i + length(old)) } printf "%s", out $0 }' "$f" > "$f.new"
      mv "$f.new" "$f"
    done ;;
  "rewrite structure") printf '%s' "$3" > "$s/opt-permalink_structure" ;;
  "rewrite flush") : ;;
  *) echo "fake wp: unexpected $*" >&2; exit 2 ;;
esac
`;

/** A `php` whose database ping fails until $FAKE_STATE/db-up exists. */
const FAKE_PHP = String.raw`#!/bin/sh
case "$1" in *db-ping.php) [ -e "$FAKE_STATE/db-up" ] || { echo "Connection refused" >&2; exit 1; } ;; esac
`;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function sandbox(): { state: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'setup-store-'));
  dirs.push(root);
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  for (const d of [bin, state]) rmSync(d, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', bin, state]);
  writeFileSync(join(bin, 'wp'), FAKE_WP);
  writeFileSync(join(bin, 'php'), FAKE_PHP);
  chmodSync(join(bin, 'wp'), 0o755);
  chmodSync(join(bin, 'php'), 0o755);
  writeFileSync(join(state, 'db-up'), '');
  const content = join(root, 'wp-content');
  execFileSync('mkdir', ['-p', join(content, 'plugins', 'woocommerce'), join(content, 'themes')]);
  const env = {
    WP_CONTENT_DIR: content,
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
    TMPDIR: root,
    FAKE_STATE: state,
    STORE_URL: 'http://acme.test',
    STORE_TITLE: 'Acme Goods',
    ADMIN_USER: 'admin',
    ADMIN_PASSWORD: 'pa55word-from-secret',
    ADMIN_EMAIL: 'owner@acme.test',
    STORE_CURRENCY: 'EUR',
    STORE_ADDRESS_LINE1: '1 Main St',
    STORE_CITY: 'Springfield',
    STORE_POSTCODE: '12345',
    STORE_COUNTRY: 'US:CA',
    WOOCOMMERCE_VERSION: '10.2.0',
    SAMPLE_PRODUCT_SKU: 'SP-SAMPLE-1',
    SAMPLE_PRODUCT_SLUG: 'store-platform-sample',
    SAMPLE_PRODUCT_NAME: 'Sample product',
    SAMPLE_PRODUCT_PRICE: '19.00',
    DB_WAIT_SECONDS: '0',
  };
  return { state, env };
}


async function setup(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('sh', ['constructs/woocommerce/scripts/setup-store.sh'], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const calls = (state: string) => readFileSync(join(state, 'calls'), 'utf8').trim().split('\n');

describe('setup-store.sh', () => {
  it('installs and configures a new store, then verifies it', async () => {
    const { state, env } = sandbox();
    const r = await setup(env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('store configured and verified');
    expect(calls(state)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^core install --title=Acme Goods --admin_user=admin .*--prompt=admin_password$/),
        'plugin install woocommerce --version=10.2.0',
        'plugin activate woocommerce',
        'option update woocommerce_currency',
      ]),
    );
    // the password reached wp on stdin, not on a command line
    expect(readFileSync(join(state, 'admin-password'), 'utf8')).toBe('pa55word-from-secret\n');
    expect(calls(state).join('\n')).not.toContain('pa55word-from-secret');
    expect(readFileSync(join(state, 'opt-woocommerce_cod_settings'), 'utf8')).toContain('"enabled":"yes"');
    expect(readFileSync(join(state, 'opt-permalink_structure'), 'utf8')).toBe('/%postname%/');
  });

  it.each([
    ['an option', '--exec=system("id");'],
    ['a bare flag', '--skip-plugins'],
    ['an option with spaces', '--require=/tmp/x.php and more'],
  ])('passes a title that looks like %s as a value, never as an option', async (_what, title) => {
    const { state, env } = sandbox();
    const r = await setup({ ...env, STORE_TITLE: title });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(state, 'opt-blogname'), 'utf8')).toBe(title);
    expect(existsSync(join(state, 'options-seen'))).toBe(false);
    // no merchant value on any command line but the --title= assignment of core install
    expect(calls(state).filter((c) => c.includes(title.split('=')[0]!) && !c.startsWith('core install'))).toEqual([]);
  });

  it('leaves no plugin or theme file writable by every user', async () => {
    const { env } = sandbox();
    const plugin = join(env.WP_CONTENT_DIR!, 'plugins', 'woocommerce');
    writeFileSync(join(plugin, 'woocommerce.php'), '<?php');
    chmodSync(plugin, 0o777);
    chmodSync(join(plugin, 'woocommerce.php'), 0o666);
    const r = await setup(env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(statSync(plugin).mode & 0o777).toBe(0o775);
    expect(statSync(join(plugin, 'woocommerce.php')).mode & 0o777).toBe(0o664);
  });

  it('pipes the admin password to --prompt as one line, ending with a newline', async () => {
    const { state, env } = sandbox();
    expect((await setup(env)).code).toBe(0);
    expect(readFileSync(join(state, 'admin-password'), 'utf8')).toBe('pa55word-from-secret\n');
  });

  it('is idempotent: a second run installs nothing and passes', async () => {
    const { state, env } = sandbox();
    expect((await setup(env)).code).toBe(0);
    writeFileSync(join(state, 'calls'), '');
    const again = await setup(env);
    expect(again.code).toBe(0);
    const second = calls(state);
    expect(second.some((c) => c.startsWith('core install') || c.startsWith('plugin install') || c.startsWith('plugin activate'))).toBe(false);
  });

  it('upgrades in place on a new version: WooCommerce replaced (--force), then the core and WooCommerce database updates', async () => {
    const { state, env } = sandbox();
    expect((await setup(env)).code).toBe(0);
    expect(readFileSync(join(state, 'plugin-woocommerce'), 'utf8')).toBe('10.2.0');
    writeFileSync(join(state, 'calls'), '');
    const upgraded = await setup({ ...env, WOOCOMMERCE_VERSION: '10.3.1' });
    expect(upgraded.stderr).toBe('');
    expect(upgraded.code).toBe(0);
    expect(upgraded.stdout).toContain('upgrading WooCommerce 10.2.0 to 10.3.1');
    expect(readFileSync(join(state, 'plugin-woocommerce'), 'utf8')).toBe('10.3.1');
    const order = calls(state).filter((c) => /^(core update-db|plugin install|wc update)/.test(c));
    expect(order).toEqual(['core update-db', 'plugin install woocommerce --version=10.3.1 --force', 'wc update']);
    // the databases are current for the new version, and an unchanged version installs nothing
    expect(existsSync(join(state, 'wc-db-current'))).toBe(true);
    expect(existsSync(join(state, 'core-db-current'))).toBe(true);
    writeFileSync(join(state, 'calls'), '');
    expect((await setup({ ...env, WOOCOMMERCE_VERSION: '10.3.1' })).code).toBe(0);
    expect(calls(state).some((c) => c.startsWith('plugin install'))).toBe(false);
  });

  it('moves a store restored from another store\'s backup to its own URL, guid left alone', async () => {
    const { state, env } = sandbox();
    expect((await setup(env)).code).toBe(0);
    // the database now holds another store's: its URL in the options (and, in a real one, posts and meta)
    writeFileSync(join(state, 'opt-siteurl'), 'http://origin.test');
    writeFileSync(join(state, 'opt-home'), 'http://origin.test');
    writeFileSync(join(state, 'opt-woocommerce_email_footer_text'), 'Visit http://origin.test/shop');
    writeFileSync(join(state, 'calls'), '');
    const r = await setup(env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('moving the store from http://origin.test to http://acme.test');
    expect(calls(state).filter((c) => c.startsWith('search-replace'))).toEqual([
      'search-replace http://origin.test http://acme.test --all-tables-with-prefix --skip-columns=guid --report-changed-only',
    ]);
    expect(readFileSync(join(state, 'opt-siteurl'), 'utf8')).toBe('http://acme.test');
    expect(readFileSync(join(state, 'opt-home'), 'utf8')).toBe('http://acme.test');
    expect(readFileSync(join(state, 'opt-woocommerce_email_footer_text'), 'utf8')).toBe('Visit http://acme.test/shop');
  });

  it('replaces no URL in a store already at its own', async () => {
    const { state, env } = sandbox();
    expect((await setup(env)).code).toBe(0);
    expect(readFileSync(join(state, 'opt-siteurl'), 'utf8')).toBe('http://acme.test');
    writeFileSync(join(state, 'calls'), '');
    expect((await setup(env)).code).toBe(0);
    expect(calls(state).filter((c) => c.startsWith('search-replace'))).toEqual([]);
    expect(calls(state)).not.toContain('option update siteurl');
  });

  it('fails listing every setting that did not take', async () => {
    const { state, env } = sandbox();
    writeFileSync(join(state, 'frozen-woocommerce_currency'), '');
    writeFileSync(join(state, 'frozen-woocommerce_cod_settings'), '');
    writeFileSync(join(state, 'frozen-siteurl'), '');
    writeFileSync(join(state, 'installed'), '');
    writeFileSync(join(state, 'opt-siteurl'), 'http://origin.test');
    const r = await setup(env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("store verification failed:");
    expect(r.stderr).toContain("- currency: expected 'EUR', got ''");
    expect(r.stderr).toContain("- Cash on Delivery setting: expected 'yes', got ''");
    expect(r.stderr).toContain("- stored site URL: expected 'http://acme.test', got 'http://origin.test'");
  });

  it('fails with the driver error when the database never answers', async () => {
    const { state, env } = sandbox();
    rmSync(join(state, 'db-up'));
    const r = await setup(env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: database not reachable after 0s: Connection refused/);
    expect(existsSync(join(state, 'calls'))).toBe(false);
  });
});

#!/bin/sh
# Configures one WooCommerce store; run by the store-setup Job in the wp-cli image, with WordPress
# core staged in /var/www/html and the store's wp-content volume mounted under it.
#
# Idempotent: every action checks first or converges to the desired value, so a re-run after a
# partial failure (or on a finished store) is safe. It ends by verifying every setting and exits
# non-zero with one line per failed check, so "Complete" means the store is configured.
set -eu

: "${STORE_URL:?}" "${STORE_TITLE:?}" "${ADMIN_USER:?}" "${ADMIN_PASSWORD:?}" "${ADMIN_EMAIL:?}"
: "${STORE_CURRENCY:?}" "${STORE_ADDRESS_LINE1:?}" "${STORE_CITY:?}" "${STORE_POSTCODE:?}" "${STORE_COUNTRY:?}"
: "${WOOCOMMERCE_VERSION:?}" "${SAMPLE_PRODUCT_SKU:?}" "${SAMPLE_PRODUCT_SLUG:?}" "${SAMPLE_PRODUCT_NAME:?}"
: "${SAMPLE_PRODUCT_PRICE:?}"
DB_WAIT_SECONDS="${DB_WAIT_SECONDS:-300}"
WP_CONTENT_DIR="${WP_CONTENT_DIR:-/var/www/html/wp-content}"
# what this job writes (plugins it installs, uploads it makes) is writable by www-data only
umask 0022
PERMALINKS='/%postname%/'
WORK="${TMPDIR:-/tmp}/store-setup"
mkdir -p "$WORK"

log() { printf '%s store-setup: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'store-setup: FAILED: %s\n' "$*" >&2; exit 1; }
wpc() { wp --path=/var/www/html --url="$STORE_URL" "$@"; }
# Sets an option to a merchant value. wp-cli reads any `--key=value` word as an option (`--exec` runs PHP),
# so values never go on its command line: `option update` reads the value from stdin when none is given.
setopt() { printf '%s' "$2" | wpc option update "$1" >/dev/null; }

# 1. Database: WordPress's own driver (mysqli), so the check uses the same auth path as the site.
cat > "$WORK/db-ping.php" <<'PHP'
<?php
mysqli_report(MYSQLI_REPORT_OFF);
$db = @mysqli_connect(getenv('WORDPRESS_DB_HOST'), getenv('WORDPRESS_DB_USER'), getenv('WORDPRESS_DB_PASSWORD'), getenv('WORDPRESS_DB_NAME'));
if (!$db) { fwrite(STDERR, mysqli_connect_error() . "\n"); exit(1); }
exit(0);
PHP
log "waiting up to ${DB_WAIT_SECONDS}s for the database"
deadline=$(( $(date +%s) + DB_WAIT_SECONDS ))
until php "$WORK/db-ping.php" 2>"$WORK/db-error"; do
  [ "$(date +%s)" -lt "$deadline" ] || die "database not reachable after ${DB_WAIT_SECONDS}s: $(cat "$WORK/db-error")"
  sleep 3
done
log "database is reachable"

# 2. WordPress core
if wpc core is-installed >/dev/null 2>&1; then
  log "WordPress already installed"
else
  log "installing WordPress"
  # the password comes on stdin, never on a command line; --prompt reads it as one line
  printf '%s\n' "$ADMIN_PASSWORD" | wpc core install --title="$STORE_TITLE" --admin_user="$ADMIN_USER" \
    --admin_email="$ADMIN_EMAIL" --skip-email --prompt=admin_password >/dev/null
fi
# A store restored from another store's backup carries that store's URL in posts, options and
# serialized meta: search-replace rewrites it everywhere (serialized lengths too). guid stays, as
# WordPress asks. Both URLs are built by the platform and never start with --, so they are safe as
# positional words. The stored siteurl is read from the table: WP_SITEURL in wp-config answers
# `option get siteurl` with this store's own URL whatever the database holds.
cat > "$WORK/stored-url.php" <<'PHP'
<?php
global $wpdb;
echo (string) $wpdb->get_var("SELECT option_value FROM {$wpdb->options} WHERE option_name = 'siteurl'");
PHP
old_url="$(wpc eval-file "$WORK/stored-url.php")"
if [ -n "$old_url" ] && [ "$old_url" != "$STORE_URL" ]; then
  log "moving the store from $old_url to $STORE_URL"
  wpc search-replace "$old_url" "$STORE_URL" --all-tables-with-prefix --skip-columns=guid --report-changed-only
  setopt siteurl "$STORE_URL"
  setopt home "$STORE_URL"
fi
setopt blogname "$STORE_TITLE"
# an upgrade brings new core files with the image: the database schema follows them (a no-op when current)
wpc core update-db >/dev/null

# 3. WooCommerce (pinned version from wordpress.org); an upgrade replaces it in place
if ! wpc plugin is-installed woocommerce; then
  log "installing WooCommerce $WOOCOMMERCE_VERSION"
  wpc plugin install woocommerce --version="$WOOCOMMERCE_VERSION"
else
  installed="$(wpc plugin get woocommerce --field=version)"
  if [ "$installed" != "$WOOCOMMERCE_VERSION" ]; then
    log "upgrading WooCommerce $installed to $WOOCOMMERCE_VERSION"
    wpc plugin install woocommerce --version="$WOOCOMMERCE_VERSION" --force
  fi
fi
if ! wpc plugin is-active woocommerce; then
  log "activating WooCommerce"
  wpc plugin activate woocommerce
fi
# WooCommerce's own database update for the installed version (a no-op when current)
wpc wc update >/dev/null
# shop, cart, checkout and my-account pages; the tool skips pages that exist
wpc wc tool run install_pages --user="$ADMIN_USER" >/dev/null

# 4. Store settings
log "setting currency $STORE_CURRENCY and the store address"
setopt woocommerce_currency "$STORE_CURRENCY"
setopt woocommerce_store_address "$STORE_ADDRESS_LINE1"
setopt woocommerce_store_city "$STORE_CITY"
setopt woocommerce_store_postcode "$STORE_POSTCODE"
setopt woocommerce_default_country "$STORE_COUNTRY"
# new stores start in "coming soon" mode, which hides the storefront from shoppers
wpc option update woocommerce_coming_soon no >/dev/null

# 5. Cash on Delivery, available for every shipping method and for virtual orders
log "enabling Cash on Delivery"
wpc option update woocommerce_cod_settings --format=json \
  '{"enabled":"yes","title":"Cash on delivery","description":"Pay with cash upon delivery.","instructions":"Pay with cash upon delivery.","enable_for_methods":[],"enable_for_virtual":"yes"}' >/dev/null

# 6. Published sample product, found by SKU so a re-run updates it instead of adding another. Virtual:
# an order of it needs no shipping method, so the store check's checkout does not depend on the
# merchant's shipping zones (none exist yet)
cat > "$WORK/sample-product.php" <<'PHP'
<?php
$sku = getenv('SAMPLE_PRODUCT_SKU');
$id = wc_get_product_id_by_sku($sku);
$product = $id ? wc_get_product($id) : new WC_Product_Simple();
$product->set_name(getenv('SAMPLE_PRODUCT_NAME'));
$product->set_slug(getenv('SAMPLE_PRODUCT_SLUG'));
$product->set_sku($sku);
$product->set_regular_price(getenv('SAMPLE_PRODUCT_PRICE'));
$product->set_status('publish');
$product->set_catalog_visibility('visible');
$product->set_virtual(true);
$product->set_stock_status('instock');
$product->save();
echo $product->get_id(), "\n";
PHP
log "ensuring the sample product $SAMPLE_PRODUCT_SKU"
wpc eval-file "$WORK/sample-product.php" >/dev/null

# 7. No plugin or theme file writable by every user (an archive or an earlier tool may have left some):
# code WordPress runs is changed by www-data alone
log "removing world write from plugins and themes"
for dir in "$WP_CONTENT_DIR/plugins" "$WP_CONTENT_DIR/themes"; do
  if [ -d "$dir" ]; then
    # a file this job may not change is left to the verification below, which names it
    find "$dir" -perm -0002 ! -type l -exec chmod o-w {} + || log "could not remove world write everywhere under $dir"
  fi
done

# 8. Pretty permalinks (the WordPress image's .htaccess already routes them)
wpc rewrite structure "$PERMALINKS" >/dev/null
wpc rewrite flush >/dev/null

# 9. Verify everything; report every failed check, not just the first
cat > "$WORK/verify.php" <<'PHP'
<?php
$id = wc_get_product_id_by_sku(getenv('SAMPLE_PRODUCT_SKU'));
$product = $id ? wc_get_product($id) : null;
if (!$product) { echo "sample product missing\n"; }
else {
  if ($product->get_status() !== 'publish') echo "sample product is not published\n";
  if (!$product->is_purchasable()) echo "sample product is not purchasable\n";
  if (!$product->is_virtual()) echo "sample product is not virtual\n";
  if ($product->get_slug() !== getenv('SAMPLE_PRODUCT_SLUG')) echo "sample product slug is ", $product->get_slug(), "\n";
}
$gateways = WC()->payment_gateways()->payment_gateways();
if (!isset($gateways['cod']) || $gateways['cod']->enabled !== 'yes') echo "Cash on Delivery is not enabled\n";
elseif ($gateways['cod']->get_option('enable_for_virtual') !== 'yes') echo "Cash on Delivery is not offered for virtual orders\n";
if (!wc_get_page_id('checkout') || wc_get_page_id('checkout') < 1) echo "checkout page missing\n";
PHP
failures=''
check() { # check DESCRIPTION EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then failures="${failures}
  - $1: expected '$2', got '$3'"; fi
}
check "WordPress installed" yes "$(wpc core is-installed >/dev/null 2>&1 && echo yes || echo no)"
check "stored site URL" "$STORE_URL" "$(wpc eval-file "$WORK/stored-url.php")"
check "WooCommerce active" yes "$(wpc plugin is-active woocommerce && echo yes || echo no)"
check "currency" "$STORE_CURRENCY" "$(wpc option get woocommerce_currency)"
check "store address" "$STORE_ADDRESS_LINE1" "$(wpc option get woocommerce_store_address)"
check "store city" "$STORE_CITY" "$(wpc option get woocommerce_store_city)"
check "store country" "$STORE_COUNTRY" "$(wpc option get woocommerce_default_country)"
check "Cash on Delivery setting" yes "$(wpc option pluck woocommerce_cod_settings enabled)"
check "permalink structure" "$PERMALINKS" "$(wpc option get permalink_structure)"
check "world-writable plugin or theme files" "" "$(find "$WP_CONTENT_DIR/plugins" "$WP_CONTENT_DIR/themes" -perm -0002 ! -type l 2>/dev/null | head -n 3)"
check "WooCommerce runtime checks" "" "$(wpc eval-file "$WORK/verify.php")"
if [ -n "$failures" ]; then
  die "store verification failed:$failures"
fi
log "store configured and verified"

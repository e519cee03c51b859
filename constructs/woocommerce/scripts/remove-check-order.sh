#!/bin/sh
# The store check's second half: finds the order its checkout placed (the id in ORDER_FILE) in the
# database, proves it is the check's own (billed to CHECK_EMAIL, paid with Cash on Delivery), then
# deletes every order billed to that reserved address, so the merchant's shop starts clean. Never
# touches an order billed to anyone else. Run by the store-check Job's wp-cli container after its
# `checkout` init container (store-check.sh); exits non-zero when the order is not there.
set -eu

: "${STORE_URL:?}" "${CHECK_EMAIL:?}" "${ORDER_FILE:?}"
WORK="${TMPDIR:-/tmp}/remove-check-order"
mkdir -p "$WORK"

log() { printf '%s store-check: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'store-check: FAILED: %s\n' "$*" >&2; exit 1; }
wpc() { wp --path=/var/www/html --url="$STORE_URL" "$@"; }

[ -s "$ORDER_FILE" ] || die "the checkout left no order id in $ORDER_FILE"
order_id="$(head -n 1 "$ORDER_FILE")"
case "$order_id" in '' | *[!0-9]*) die "the checkout's order id '$order_id' is not a number" ;; esac

# values reach PHP through the environment, never through wp-cli's command line
cat > "$WORK/remove-check-orders.php" <<'PHP'
<?php
$email = getenv('CHECK_EMAIL');
$id = (int) getenv('CHECK_ORDER_ID');
$order = wc_get_order($id);
if (!$order) { fwrite(STDERR, "order $id is not in the database\n"); exit(1); }
if ($order->get_billing_email() !== $email) { fwrite(STDERR, "order $id is not billed to $email: not removing it\n"); exit(1); }
if ($order->get_payment_method() !== 'cod') { fwrite(STDERR, "order $id was paid with '" . $order->get_payment_method() . "', not cod\n"); exit(1); }
// the query narrows by address; each order's own address decides (never a merchant's order)
$find = fn() => array_filter(
  array_map('wc_get_order', wc_get_orders(['billing_email' => $email, 'limit' => -1, 'return' => 'ids'])),
  fn($o) => $o && $o->get_billing_email() === $email
);
$removed = 0;
foreach ($find() as $o) { $o->delete(true); $removed++; }
if (count($find()) > 0) { fwrite(STDERR, "orders billed to $email remain after removing them\n"); exit(1); }
echo $removed, "\n";
PHP
log "removing order $order_id and every other order billed to $CHECK_EMAIL"
removed="$(CHECK_ORDER_ID="$order_id" wpc eval-file "$WORK/remove-check-orders.php" 2>"$WORK/error")" \
  || die "$(cat "$WORK/error")"
log "removed $removed check order(s): the shop starts clean"

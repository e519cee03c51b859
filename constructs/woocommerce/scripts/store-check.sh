#!/bin/sh
# Proves a store can take an order, the way a shopper reaches it: on the store's own URL, with its
# host sent to the ingress controller's Service (curl --connect-to; no external DNS): the storefront answers, the Store API lists the sample product, the product goes into a cart,
# and Cash on Delivery is offered for that cart. Run by the store-check Job (curl image).
# Retries while WordPress warms up; exits non-zero naming the first check that never passed.
set -eu

: "${STORE_URL:?}" "${INGRESS_CONTROLLER:?}" "${SAMPLE_PRODUCT_SLUG:?}"
ATTEMPTS="${ATTEMPTS:-30}"
DELAY_SECONDS="${DELAY_SECONDS:-5}"
WORK="${TMPDIR:-/tmp}/store-check"
mkdir -p "$WORK"
body="$WORK/body"
headers="$WORK/headers"
jar="$WORK/cookies"
: > "$jar"

log() { printf '%s store-check: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'store-check: FAILED: %s\n' "$*" >&2; exit 1; }

# request METHOD PATH [JSON] [extra curl args...]: prints the HTTP status; body and headers to files.
# The store's host and port go to the same port of the controller, so Host, SNI and the
# certificate check are the store's own; the controller's Ingress rule picks the store.
authority="${STORE_URL#*://}"; authority="${authority%%/*}"
case "$authority" in
  *:*) store_host="${authority%:*}"; port="${authority##*:}" ;;
  *) store_host="$authority"; case "$STORE_URL" in https:*) port=443 ;; *) port=80 ;; esac ;;
esac
request() {
  method="$1"; path="$2"; shift 2
  data=''
  if [ "$#" -gt 0 ]; then data="$1"; shift; fi
  if [ -n "$data" ]; then
    set -- "$@" -H 'Content-Type: application/json' --data "$data"
  fi
  curl -sS -o "$body" -D "$headers" -w '%{http_code}' --max-time 20 -X "$method" \
    --connect-to "$store_host:$port:$INGRESS_CONTROLLER:$port" -b "$jar" -c "$jar" \
    "$@" "$STORE_URL$path" 2>"$WORK/curl-error" || true  # -w prints 000 when no response came
}

# retry DESCRIPTION EXPECTED_STATUS METHOD PATH [JSON]: until the status matches or attempts run out
retry() {
  what="$1"; want="$2"; shift 2
  i=1
  while :; do
    got="$(request "$@")"
    [ "$got" = "$want" ] && return 0
    [ "$i" -ge "$ATTEMPTS" ] && die "$what: HTTP $got (wanted $want) after $ATTEMPTS attempts $(head -c 300 "$body" 2>/dev/null) $(cat "$WORK/curl-error")"
    i=$((i + 1))
    sleep "$DELAY_SECONDS"
  done
}

header() { # header NAME: value of a response header, case-insensitive
  tr -d '\r' < "$headers" | grep -i "^$1:" | tail -n 1 | cut -d: -f2- | sed "s/^ *//"
}

log "storefront"
retry "storefront GET /" 200 GET /

log "Store API product list"
retry "GET /wp-json/wc/store/v1/products" 200 GET '/wp-json/wc/store/v1/products?per_page=100'
grep -q "\"slug\":\"$SAMPLE_PRODUCT_SLUG\"" "$body" || die "sample product '$SAMPLE_PRODUCT_SLUG' is not listed by the Store API"
product_id="$(sed -n "s/.*\"id\":\([0-9][0-9]*\),\"name\":\"[^\"]*\",\"slug\":\"$SAMPLE_PRODUCT_SLUG\".*/\1/p" "$body")"
[ -n "$product_id" ] || die "could not read the id of product '$SAMPLE_PRODUCT_SLUG' from the Store API"

log "cart with product $product_id"
retry "GET /wp-json/wc/store/v1/cart" 200 GET /wp-json/wc/store/v1/cart
nonce="$(header nonce)"
cart_token="$(header cart-token)"
[ -n "$nonce" ] || [ -n "$cart_token" ] || die "Store API cart returned neither a Nonce nor a Cart-Token header"
status="$(request POST /wp-json/wc/store/v1/cart/add-item "{\"id\":$product_id,\"quantity\":1}" \
  -H "Nonce: $nonce" -H "Cart-Token: $cart_token")"
[ "$status" = 201 ] || [ "$status" = 200 ] || die "adding the sample product to a cart: HTTP $status $(head -c 300 "$body")"
tr -d '\n' < "$body" | grep -q '"payment_methods":\[[^]]*"cod"' \
  || die "Cash on Delivery is not offered for a cart with the sample product"

log "store can take an order: product listed, cart works, Cash on Delivery offered"

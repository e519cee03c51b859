#!/bin/sh
# Proves a store can take an order, from inside its namespace, through the wordpress Service:
# the storefront answers, the Store API lists the sample product, the product goes into a cart,
# and Cash on Delivery is offered for that cart. Run by the store-check Job (curl image).
# Retries while WordPress warms up; exits non-zero naming the first check that never passed.
set -eu

: "${SERVICE_URL:?}" "${STORE_HOST:?}" "${FORWARDED_PROTO:?}" "${SAMPLE_PRODUCT_SLUG:?}"
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
# The Host header selects the store's site (WordPress redirects other hosts), and X-Forwarded-Proto
# matches what the ingress sends, so no canonical redirect to https gets in the way.
request() {
  method="$1"; path="$2"; shift 2
  data=''
  if [ "$#" -gt 0 ]; then data="$1"; shift; fi
  if [ -n "$data" ]; then
    set -- "$@" -H 'Content-Type: application/json' --data "$data"
  fi
  curl -sS -o "$body" -D "$headers" -w '%{http_code}' --max-time 20 -X "$method" \
    -H "Host: $STORE_HOST" -H "X-Forwarded-Proto: $FORWARDED_PROTO" -b "$jar" -c "$jar" \
    "$@" "$SERVICE_URL$path" 2>"$WORK/curl-error" || true  # -w prints 000 when no response came
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

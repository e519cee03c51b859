#!/bin/sh
# Proves a store can take an order, the way a shopper places one: on the store's own URL, with its
# host sent to the ingress controller's Service (curl --connect-to; no external DNS), the storefront
# answers, the Store API lists the sample product, the product goes into a cart offering Cash on
# Delivery, and a checkout with payment method `cod` places a real order, billed to the reserved
# check address (CHECK_EMAIL). The order's id goes to ORDER_FILE: the store-check Job's next
# container (remove-check-order.sh) finds it in the database and removes it, so the merchant's shop
# starts clean. Run by the store-check Job's `checkout` init container (curl image).
# Retries while WordPress warms up, within DEADLINE_SECONDS; exits non-zero naming the first check
# that never passed.
set -eu

: "${STORE_URL:?}" "${INGRESS_CONTROLLER:?}" "${SAMPLE_PRODUCT_SLUG:?}" "${CHECK_EMAIL:?}" "${ORDER_FILE:?}"
: "${BILLING_ADDRESS_LINE1:?}" "${BILLING_CITY:?}" "${BILLING_POSTCODE:?}" "${BILLING_COUNTRY:?}"
ATTEMPTS="${ATTEMPTS:-30}"
DELAY_SECONDS="${DELAY_SECONDS:-5}"
DEADLINE_SECONDS="${DEADLINE_SECONDS:-240}"
deadline=$(( $(date +%s) + DEADLINE_SECONDS ))
WORK="${TMPDIR:-/tmp}/store-check"
mkdir -p "$WORK"
body="$WORK/body"
headers="$WORK/headers"
jar="$WORK/cookies"
: > "$jar"
mkdir -p "${ORDER_FILE%/*}"
rm -f "$ORDER_FILE"

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

# retry DESCRIPTION EXPECTED_STATUS METHOD PATH [JSON]: until the status matches, the attempts run
# out or the deadline passes (whichever comes first), so the Job's own deadline is never the one hit
retry() {
  what="$1"; want="$2"; shift 2
  i=1
  while :; do
    got="$(request "$@")"
    [ "$got" = "$want" ] && return 0
    if [ "$i" -ge "$ATTEMPTS" ] || [ "$(( $(date +%s) + DELAY_SECONDS ))" -ge "$deadline" ]; then
      die "$what: HTTP $got (wanted $want) after $i attempts $(head -c 300 "$body" 2>/dev/null) $(cat "$WORK/curl-error")"
    fi
    i=$((i + 1))
    sleep "$DELAY_SECONDS"
  done
}

header() { # header NAME: value of a response header of the last request, case-insensitive
  tr -d '\r' < "$headers" | grep -i "^$1:" | tail -n 1 | cut -d: -f2- | sed "s/^ *//"
}
flat() { tr -d '\n' < "$body"; }
json_string() { # json_string VALUE: VALUE as a JSON string literal
  printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
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
# the Cart-Token names this cart on every later call; the Nonce is refreshed by each answer
nonce="$(header nonce)"
cart_token="$(header cart-token)"
[ -n "$cart_token" ] || die "Store API cart returned no Cart-Token header"
[ -n "$nonce" ] || die "Store API cart returned no Nonce header"
status="$(request POST /wp-json/wc/store/v1/cart/add-item "{\"id\":$product_id,\"quantity\":1}" \
  -H "Nonce: $nonce" -H "Cart-Token: $cart_token")"
[ "$status" = 201 ] || [ "$status" = 200 ] || die "adding the sample product to a cart: HTTP $status $(head -c 300 "$body")"
flat | grep -q '"payment_methods":\[[^]]*"cod"' \
  || die "Cash on Delivery is not offered for a cart with the sample product"
nonce="$(header nonce)"; [ -n "$nonce" ] || die "Store API add-item returned no Nonce header"

# the store's own address (a valid one in a country it sells to), billed to the reserved check address
country="${BILLING_COUNTRY%%:*}"; state=''
case "$BILLING_COUNTRY" in *:*) state="${BILLING_COUNTRY#*:}" ;; esac
address="\"first_name\":\"Store\",\"last_name\":\"Check\",\"address_1\":$(json_string "$BILLING_ADDRESS_LINE1"),\"city\":$(json_string "$BILLING_CITY"),\"state\":$(json_string "$state"),\"postcode\":$(json_string "$BILLING_POSTCODE"),\"country\":$(json_string "$country")"
checkout="{\"billing_address\":{$address,\"email\":$(json_string "$CHECK_EMAIL")},\"shipping_address\":{$address},\"payment_method\":\"cod\",\"customer_note\":\"store-platform readiness check: removed by the check\"}"

log "checkout with Cash on Delivery"
status="$(request POST /wp-json/wc/store/v1/checkout "$checkout" -H "Nonce: $nonce" -H "Cart-Token: $cart_token")"
[ "$status" = 200 ] || die "checkout with Cash on Delivery: HTTP $status $(head -c 300 "$body")"
order_id="$(flat | sed -n 's/.*"order_id":\([0-9][0-9]*\).*/\1/p')"
[ "${order_id:-0}" -gt 0 ] || die "checkout answered without an order: $(head -c 300 "$body")"
flat | grep -q '"payment_status":"success"' || die "checkout of order $order_id did not succeed: $(head -c 300 "$body")"
printf '%s\n' "$order_id" > "$ORDER_FILE"

log "store took order $order_id: product listed, cart works, Cash on Delivery checkout placed"

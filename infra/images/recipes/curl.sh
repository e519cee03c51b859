# shellcheck shell=bash
# localhost/curl: curl with sh, grep and sed as curl_user (100:101), the contract of the store
# check (constructs/store-check.ts). Debian's curl, dash, GNU grep and sed (the official image has
# busybox's sh, grep and sed).

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  ensure_base
  new_rootfs "$work"
  apt_install "$work" ca-certificates curl
  package_versions "$work" curl grep sed dash > "$out.packages"
  add_user "$work" curl_user 100 101 /home/curl_user
  chroot "$work" groupmod -n curl_group curl_user
  mkdir -p "$work/home/curl_user"
  chown 100:101 "$work/home/curl_user"
  install -m 0755 "$IMAGES_DIR/files/curl/entrypoint.sh" "$work/entrypoint.sh"
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.entrypoint /entrypoint.sh --config.cmd curl \
    --config.user 100:101 --config.workingdir /home/curl_user \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env CURL_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
}

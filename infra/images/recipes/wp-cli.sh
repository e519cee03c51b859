# shellcheck shell=bash
# localhost/wp-cli: the shape of the official wordpress:cli image (constructs/wp-cli.ts): PHP 8.2
# CLI with the WordPress extensions, the MariaDB client, docker-entrypoint.sh, /var/www/html, uid 33.
# wp-cli itself is on no registry reachable here: `wp` is a placeholder that exits 69 with one line.

WP_CLI_PACKAGES=(php8.2-cli php8.2-mysql php8.2-gd php8.2-curl php8.2-xml php8.2-mbstring php8.2-zip php8.2-intl mariadb-client)

recipe() {
  local work="$1" out="$2" name="$3" tag="$4" files="$IMAGES_DIR/files/wp-cli"
  ensure_base
  new_rootfs "$work"
  apt_install "$work" ca-certificates "${WP_CLI_PACKAGES[@]}"
  package_versions "$work" "${WP_CLI_PACKAGES[@]}" > "$out.packages"
  echo "wp placeholder (wp-cli not available)" >> "$out.packages"
  mkdir -p "$work/var/www/html"
  chown 33:33 "$work/var/www/html"
  install -m 0644 "$IMAGES_DIR/files/wordpress/stand-in.ini" "$work/etc/php/8.2/cli/conf.d/90-stand-in.ini"
  install -m 0755 "$files/wp" "$work/usr/local/bin/wp"
  install -m 0755 "$files/docker-entrypoint.sh" "$work/usr/local/bin/docker-entrypoint.sh"
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.entrypoint docker-entrypoint.sh --config.cmd wp --config.cmd shell \
    --config.user 33:33 --config.workingdir /var/www/html \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
}

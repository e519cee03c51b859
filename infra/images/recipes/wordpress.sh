# shellcheck shell=bash
# localhost/wordpress: Debian's WordPress on PHP 8.2 + Apache (mod_php, prefork) behind the
# official wordpress:apache image's contract (constructs/wordpress.ts, constructs/wp-cli.ts):
# WordPress in /usr/src/wordpress owned by www-data (33), copied into the empty docroot
# /var/www/html by docker-entrypoint.sh (also as docker-ensure-installed.sh), wp-config.php from
# WORDPRESS_* env, Apache's Debian layout (ports.conf, sites-available/000-default.conf) with its
# run, lock and log directories writable by any uid, logs on stdout/stderr.

WORDPRESS_PHP_PACKAGES=(php8.2-mysql php8.2-gd php8.2-curl php8.2-xml php8.2-mbstring php8.2-zip php8.2-intl php8.2-bcmath)

recipe() {
  local work="$1" out="$2" name="$3" tag="$4" files="$IMAGES_DIR/files/wordpress"
  ensure_base
  new_rootfs "$work"
  apt_install "$work" ca-certificates apache2 libapache2-mod-php8.2 "${WORDPRESS_PHP_PACKAGES[@]}" \
    wordpress wordpress-theme-twentytwentythree
  package_versions "$work" apache2 libapache2-mod-php8.2 "${WORDPRESS_PHP_PACKAGES[@]}" \
    wordpress wordpress-theme-twentytwentythree > "$out.packages"

  # WordPress where the official image keeps it, self-contained: Debian's symlinks to its shared
  # copies of libraries are resolved (inside the chroot), its /etc/wordpress config loader replaced
  mkdir -p "$work/usr/src/wordpress"
  chroot "$work" cp -aL /usr/share/wordpress/. /usr/src/wordpress/
  rm -f "$work/usr/src/wordpress/wp-config.php" "$work/usr/src/wordpress/.htaccess"
  install -m 0644 "$files/htaccess" "$work/usr/src/wordpress/.htaccess"
  install -m 0644 "$files/wp-config-docker.php" "$work/usr/src/wordpress/wp-config-docker.php"
  chown -R 33:33 "$work/usr/src/wordpress"
  # the copy is the image's WordPress; Debian's packaged one (and its config) would be a second
  chroot "$work" dpkg --purge --force-depends wordpress-theme-twentytwentythree wordpress >/dev/null

  # Apache as the php:apache image sets it up. Inside the chroot: /var/run and /var/lock are
  # absolute symlinks that must resolve in the image, never on the build machine.
  # shellcheck disable=SC2016 # expanded by the chroot's shell
  chroot "$work" sh -ec 'for d in /var/run/apache2 /var/lock/apache2 /var/log/apache2 /var/www/html; do
    mkdir -p "$d"; chown 33:33 "$d"; chmod 1777 "$d"; done'
  rm -rf "${work:?}/var/www/html/"*
  ln -sfT /dev/stderr "$work/var/log/apache2/error.log"
  ln -sfT /dev/stdout "$work/var/log/apache2/access.log"
  ln -sfT /dev/stdout "$work/var/log/apache2/other_vhosts_access.log"
  install -m 0644 "$files/docker-php.conf" "$work/etc/apache2/conf-available/docker-php.conf"
  install -m 0644 "$files/remoteip.conf" "$work/etc/apache2/conf-available/remoteip.conf"
  chroot "$work" a2enmod -q rewrite expires remoteip >/dev/null
  chroot "$work" a2enconf -q docker-php remoteip >/dev/null
  install -m 0644 "$files/stand-in.ini" "$work/etc/php/8.2/apache2/conf.d/90-stand-in.ini"
  install -m 0644 "$files/stand-in.ini" "$work/etc/php/8.2/cli/conf.d/90-stand-in.ini"

  install -m 0755 "$files/docker-entrypoint.sh" "$work/usr/local/bin/docker-entrypoint.sh"
  ln -sfT docker-entrypoint.sh "$work/usr/local/bin/docker-ensure-installed.sh"
  install -m 0755 "$files/apache2-foreground" "$work/usr/local/bin/apache2-foreground"
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.entrypoint docker-entrypoint.sh --config.cmd apache2-foreground \
    --config.workingdir /var/www/html --config.stopsignal SIGWINCH \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.exposedports 80/tcp --config.volume /var/www/html
}

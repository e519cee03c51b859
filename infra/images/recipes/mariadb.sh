# shellcheck shell=bash
# localhost/mariadb: MariaDB 10.11 (Debian's mariadb-server) behind the official mysql image's
# contract (constructs/mysql.ts): MYSQL_* env, first-start initialisation into --datadir, port
# 3306 on every interface, the mysql user 999:999, `mysql`/`mysqladmin` clients for the probes.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  ensure_base
  new_rootfs "$work"
  add_user "$work" mysql 999 999 /var/lib/mysql
  apt_install "$work" mariadb-server mariadb-client
  package_versions "$work" mariadb-server mariadb-client > "$out.packages"
  # the package's own initialised data directory is not the image's: the entrypoint makes one
  rm -rf "${work:?}/var/lib/mysql" "$work/run/mysqld"
  mkdir -p "$work/var/lib/mysql" "$work/run/mysqld" "$work/docker-entrypoint-initdb.d"
  chown 999:999 "$work/var/lib/mysql" "$work/run/mysqld"
  # any uid may keep its socket and lock files here, as in the official image
  chmod 1777 "$work/run/mysqld" "$work/var/lib/mysql"
  install -m 0644 "$IMAGES_DIR/files/mariadb/stand-in.cnf" "$work/etc/mysql/mariadb.conf.d/99-stand-in.cnf"
  install -m 0755 "$IMAGES_DIR/files/mariadb/docker-entrypoint.sh" "$work/usr/local/bin/docker-entrypoint.sh"
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.entrypoint docker-entrypoint.sh --config.cmd mysqld \
    --config.user 999:999 --config.workingdir / \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.exposedports 3306/tcp --config.volume /var/lib/mysql
}

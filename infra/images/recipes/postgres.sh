# shellcheck shell=bash
# localhost/postgres: PostgreSQL 15 (Debian's postgresql-15) behind the official postgres image's
# contract: POSTGRES_* env, initdb into PGDATA on the first start, port 5432 on every interface,
# the postgres user 999:999, `postgres`/`psql`/`pg_isready` on PATH.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  ensure_base
  new_rootfs "$work"
  add_user "$work" postgres 999 999 /var/lib/postgresql
  # the image's entrypoint makes the cluster, not the package
  mkdir -p "$work/etc/postgresql-common/createcluster.d"
  printf 'create_main_cluster = false\n' > "$work/etc/postgresql-common/createcluster.d/stand-in.conf"
  apt_install "$work" postgresql-15
  package_versions "$work" postgresql-15 postgresql-client-15 > "$out.packages"
  # the official image's one change to the sample config: listen on every interface
  sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$work/usr/share/postgresql/15/postgresql.conf.sample"
  grep -q "^listen_addresses = '\*'" "$work/usr/share/postgresql/15/postgresql.conf.sample"
  # inside the chroot: /var/run is an absolute symlink that must resolve in the image
  chroot "$work" sh -ec 'mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d
    chown 999:999 /var/lib/postgresql /var/lib/postgresql/data /var/run/postgresql
    chmod 1777 /var/lib/postgresql/data
    chmod 3777 /var/run/postgresql'
  install -m 0755 "$IMAGES_DIR/files/postgres/docker-entrypoint.sh" "$work/usr/local/bin/docker-entrypoint.sh"
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.entrypoint docker-entrypoint.sh --config.cmd postgres \
    --config.user 999:999 --config.workingdir / --config.stopsignal SIGINT \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/lib/postgresql/15/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env PGDATA=/var/lib/postgresql/data --config.env LANG=C.UTF-8 \
    --config.exposedports 5432/tcp --config.volume /var/lib/postgresql/data
}

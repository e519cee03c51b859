# shellcheck shell=bash
# localhost/redis: Redis 7.0 (Debian's redis-server) behind the official redis image's contract:
# redis-server on 6379 as the redis user 999:999, working directory /data, options to redis-server.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  ensure_base
  new_rootfs "$work"
  add_user "$work" redis 999 999 /data
  apt_install "$work" redis-server
  package_versions "$work" redis-server redis-tools > "$out.packages"
  mkdir -p "$work/data"
  chown 999:999 "$work/data"
  install -m 0755 "$IMAGES_DIR/files/redis/docker-entrypoint.sh" "$work/usr/local/bin/docker-entrypoint.sh"
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.entrypoint docker-entrypoint.sh --config.cmd redis-server \
    --config.user 999:999 --config.workingdir /data \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.exposedports 6379/tcp --config.volume /data
}

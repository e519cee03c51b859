# shellcheck shell=bash
# localhost/backup: the backup and restore Jobs' image (constructs/backup): sh, restic, jq and both engines'
# database clients (mariadb-dump/mariadb for WooCommerce, pg_dump/pg_restore/psql 15 for Medusa), plus the
# coreutils the scripts use (timeout, sha256sum, mkfifo, stat). The Jobs run it as the store's own user on
# a read-only root filesystem with /tmp as an emptyDir, so the image needs no user or writable folder of
# its own. The real node's backup tests run it as BACKUP_IMAGE=localhost/backup:<tag>.
# Debian bookworm's restic is 0.14: enough for the scripts, but BACKUP_S3_PATH_STYLE (-o s3.bucket-lookup)
# needs 0.16 or later.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  ensure_base
  new_rootfs "$work"
  apt_install "$work" ca-certificates restic jq mariadb-client postgresql-client-15 coreutils findutils mawk
  package_versions "$work" restic jq mariadb-client postgresql-client-15 > "$out.packages"
  # what the scripts call, present and runnable inside the image
  # shellcheck disable=SC2016 # expanded inside the chroot
  chroot "$work" sh -ec 'for t in sh restic jq mariadb-dump mariadb pg_dump pg_restore psql timeout sha256sum mkfifo stat find awk; do command -v "$t" >/dev/null; done'
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.cmd /bin/sh \
    --config.user 65534:65534 --config.workingdir /tmp \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
}

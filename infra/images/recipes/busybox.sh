# shellcheck shell=bash
# localhost/busybox: busybox's nc and sh first on PATH, the contract of the maintenance responder
# (constructs/maintenance.ts): `nc -ll -p 8080 -e sh respond.sh` as nobody (65534:65534). Debian's
# busybox-static (its nc has -e and the persistent -ll; its sh is ash, whose read has -t), linked
# into /usr/local/bin so neither dash nor another nc answers to the names.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  ensure_base
  new_rootfs "$work"
  apt_install "$work" busybox-static
  package_versions "$work" busybox-static > "$out.packages"
  local applet
  for applet in nc sh cat printf; do ln -sf /bin/busybox "$work/usr/local/bin/$applet"; done
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.cmd sh \
    --config.user 65534:65534 --config.workingdir / \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
}

# shellcheck shell=bash
# Root filesystems for the stand-in images: one debootstrap'd Debian base, copied per image, with
# packages installed by apt in a chroot. Sourced by build.sh (which sets -euo pipefail).

# mount_chroot DIR: /proc and the host's resolver for apt inside DIR (undone by umount_chroot)
mount_chroot() {
  local dir="$1"
  mount -t proc proc "$dir/proc"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
}

umount_chroot() {
  local dir="$1"
  if mountpoint -q "$dir/proc"; then umount "$dir/proc"; fi
  : > "$dir/etc/resolv.conf"
}

# remove_tree DIR: rm -rf that refuses to descend into a tree that still has a mount in it
remove_tree() {
  local dir="$1"
  [ -e "$dir" ] || return 0
  if grep -q " $(realpath "$dir")/" /proc/mounts; then
    echo "images: refusing to remove $dir: something is still mounted under it" >&2
    return 1
  fi
  rm -rf "$dir"
}

# ensure_base: the shared Debian base (minbase), built once per BASE_TAG under an exclusive lock.
# Its apt sources are the host's Debian sources, so images get the same (security) updates.
ensure_base() {
  BASE_ROOTFS="$IMAGES_CACHE/rootfs/base-$BASE_TAG"
  [ -e "$BASE_ROOTFS/.complete" ] && return 0
  local lock
  exec {lock}>"$IMAGES_CACHE/.lock-base"
  flock "$lock"
  if [ ! -e "$BASE_ROOTFS/.complete" ]; then
    local start=$SECONDS tmp="$BASE_ROOTFS.tmp"
    if mountpoint -q "$tmp/proc"; then umount "$tmp/proc"; fi
    if [ ! -e "$tmp/.debootstrapped" ]; then   # an interrupted build resumes after debootstrap
      remove_tree "$tmp"
      echo "images: debootstrap --variant=minbase bookworm (once per base tag)"
      debootstrap --variant=minbase bookworm "$tmp" >"$IMAGES_CACHE/debootstrap.log" 2>&1 \
        || { echo "images: debootstrap failed, see $IMAGES_CACHE/debootstrap.log" >&2; return 1; }
      if mountpoint -q "$tmp/proc"; then umount "$tmp/proc"; fi
      touch "$tmp/.debootstrapped"
    fi
    rm -f "$tmp/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$tmp/etc/apt/sources.list.d/debian.sources"
    # no daemon may start inside the chroot while packages install
    printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"
    chmod 0755 "$tmp/usr/sbin/policy-rc.d"
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$tmp/etc/apt/apt.conf.d/90stand-in"
    # documentation never lands in an image
    cat > "$tmp/etc/dpkg/dpkg.cfg.d/90stand-in" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
EOF
    mount_chroot "$tmp"
    chroot "$tmp" apt-get update -qq || { umount_chroot "$tmp"; return 1; }
    umount_chroot "$tmp"
    rm -f "$tmp/.debootstrapped"
    touch "$tmp/.complete"
    mv "$tmp" "$BASE_ROOTFS"
    echo "images: base $BASE_TAG built in $((SECONDS - start)) s"
  fi
  exec {lock}>&-
}

# new_rootfs DIR: a private copy of the base to build one image in
new_rootfs() {
  local dir="$1"
  remove_tree "$dir"
  cp -a "$BASE_ROOTFS" "$dir"
  rm -f "$dir/.complete"
}

# apt_install DIR PACKAGE...: install into DIR's chroot; refreshes the lists once if they are stale
apt_install() {
  local dir="$1"
  shift
  mount_chroot "$dir"
  if ! DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get install -y -qq "$@" >"$dir.apt.log" 2>&1; then
    chroot "$dir" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get install -y -qq "$@" >"$dir.apt.log" 2>&1 \
      || { umount_chroot "$dir"; cat "$dir.apt.log" >&2; return 1; }
  fi
  umount_chroot "$dir"
}

# add_user DIR NAME UID GID HOME: a fixed uid/gid, created before the package that would pick one
add_user() {
  local dir="$1" name="$2" uid="$3" gid="$4" home="$5"
  chroot "$dir" groupadd --system --gid "$gid" "$name"
  chroot "$dir" useradd --system --uid "$uid" --gid "$gid" --home-dir "$home" --no-create-home --shell /usr/sbin/nologin "$name"
}

# package_versions DIR PACKAGE...: "name version" lines, for the manifest next to the archive
package_versions() {
  local dir="$1"
  shift
  # shellcheck disable=SC2016 # dpkg-query's format, not the shell's
  chroot "$dir" dpkg-query -W -f '${Package} ${Version}\n' "$@"
}

# finish_rootfs DIR: what no image ships: apt lists and caches, the policy-rc.d, logs, docs
finish_rootfs() {
  local dir="$1"
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/var/cache/debconf/*-old \
    "$dir"/var/log/*.log "$dir"/var/log/apt/* "$dir"/tmp/* "$dir"/usr/sbin/policy-rc.d \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/*
  find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -f "$dir/etc/machine-id"
  : > "$dir/etc/resolv.conf"
  # nothing of the build machine: the runtime writes the pod's own hosts and hostname
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$dir/etc/hosts"
  : > "$dir/etc/hostname"
}

#!/usr/bin/env bash
# Builds the stand-in images without a registry or a Docker engine: Debian packages installed by
# apt into a chroot of a debootstrap'd base, packed with umoci into OCI archives that
# `ctr -n k8s.io images import` accepts, named localhost/<name>:<tag>. The platform's own image is
# built from the Dockerfile with buildah on the locally made Node base.
#
#   infra/images/build.sh [name...]     no names: every image; prints each build time
#   infra/images/build.sh --list        the image names, one a line, in build order
#
# Archives are cached by tag in ${STORE_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/store-platform}/images;
# a lock per image makes concurrent builds of the same image build it once. Needs root.
set -euo pipefail

IMAGES_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(cd "$IMAGES_DIR/../.." && pwd)"
CACHE_ROOT="${STORE_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/store-platform}"
IMAGES_CACHE="$CACHE_ROOT/images"
ALL_IMAGES=(pause mariadb wordpress wp-cli curl postgres redis busybox backup node store-platform medusa medusa-previous)
export IMAGES_DIR REPO_ROOT IMAGES_CACHE

# shellcheck source=infra/images/lib/rootfs.sh
. "$IMAGES_DIR/lib/rootfs.sh"
# shellcheck source=infra/images/lib/oci.sh
. "$IMAGES_DIR/lib/oci.sh"
# shellcheck source=infra/images/lib/context.sh
. "$IMAGES_DIR/lib/context.sh"
# shellcheck source=infra/images/lib/buildah.sh
. "$IMAGES_DIR/lib/buildah.sh"
# shellcheck source=infra/images/images.env
. "$IMAGES_DIR/images.env"

# tag_of NAME: the pinned tag from images.env (the platform image: its version and build context)
tag_of() {
  case "$1" in
    store-platform) platform_tag ;;
    *)
      local var
      var="$(printf '%s_TAG' "$1" | tr 'a-z-' 'A-Z_')"
      [ -n "${!var:-}" ] || { echo "images: unknown image '$1' (known: ${ALL_IMAGES[*]})" >&2; return 1; }
      printf '%s\n' "${!var}"
      ;;
  esac
}

require_tools() {
  local missing=() tool
  [ "$(id -u)" = 0 ] || { echo "images: building images needs root (chroot, mounts, file owners)" >&2; exit 1; }
  for tool in debootstrap umoci jq flock chroot; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "images: missing ${missing[*]} (apt-get install debootstrap umoci jq util-linux buildah)" >&2
    exit 1
  fi
}

# build_one NAME: the cached archive, or a build under the image's lock
build_one() {
  local name="$1" tag out lock start
  tag="$(tag_of "$name")"
  out="$IMAGES_CACHE/$name-$tag.tar"
  if [ ! -e "$out" ]; then
    exec {lock}>"$IMAGES_CACHE/.lock-$name-$tag"
    flock "$lock"
    if [ ! -e "$out" ]; then
      start=$SECONDS
      echo "images: building localhost/$name:$tag"
      (
        work="$IMAGES_CACHE/work/$name-$tag"
        # shellcheck disable=SC2064 # expand now: the paths are fixed for this build
        trap "umount_chroot '$work' 2>/dev/null || true; remove_tree '$work'; rm -f '$work.apt.log'" EXIT
        mkdir -p "$IMAGES_CACHE/work"
        # shellcheck source=/dev/null
        . "$IMAGES_DIR/recipes/$name.sh"
        recipe "$work" "$out" "$name" "$tag"
      )
      echo "images: built localhost/$name:$tag in $((SECONDS - start)) s, $(du -m "$out" | cut -f1) MiB"
      if [ -s "$out.packages" ]; then sed 's/^/images:   /' "$out.packages"; fi
    else
      echo "images: localhost/$name:$tag built meanwhile by another build ($(du -m "$out" | cut -f1) MiB)"
    fi
    exec {lock}>&-
  else
    echo "images: localhost/$name:$tag cached ($(du -m "$out" | cut -f1) MiB)"
  fi
}

main() {
  if [ "${1:-}" = --list ]; then printf '%s\n' "${ALL_IMAGES[@]}"; return; fi
  local names=("$@")
  [ "${#names[@]}" -gt 0 ] || names=("${ALL_IMAGES[@]}")
  for name in "${names[@]}"; do tag_of "$name" >/dev/null; done
  require_tools
  mkdir -p "$IMAGES_CACHE"
  for name in "${names[@]}"; do build_one "$name"; done
}

main "$@"

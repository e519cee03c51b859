# shellcheck shell=bash
# localhost/pause: the pod sandbox image (containerd's sandbox_image). Debian's catatonit in pause
# mode (-P): PID 1 that holds the pod's namespaces, reaps zombies and exits on SIGTERM/SIGINT.
# The image holds catatonit and the libraries it links against, nothing else.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4" tiny="$1/../$3-$4.tiny"
  ensure_base
  new_rootfs "$work"
  apt_install "$work" catatonit
  package_versions "$work" catatonit > "$out.packages"
  remove_tree "$tiny"
  mkdir -p "$tiny/usr/bin" "$tiny/etc"
  cp -a "$work/usr/bin/catatonit" "$tiny/usr/bin/catatonit"
  # the dynamic loader and libraries, if catatonit is not static
  local lib
  while read -r lib; do
    mkdir -p "$tiny$(dirname "$lib")"
    cp -aL "$work$lib" "$tiny$lib"
  done < <(chroot "$work" ldd /usr/bin/catatonit 2>/dev/null | grep -o '/[^ ]*' || true)
  printf 'root:x:0:0:root:/:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/:/usr/sbin/nologin\n' > "$tiny/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$tiny/etc/group"
  pack_rootfs "$tiny" "$name" "$tag" "$out" \
    --config.entrypoint /usr/bin/catatonit --config.entrypoint -P \
    --config.user 65535:65535 --config.workingdir /
  remove_tree "$tiny"
}

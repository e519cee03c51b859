# shellcheck shell=bash
# localhost/node: Node 20 on Debian bookworm for the Medusa engine and as the Dockerfile's base,
# shaped like the official node:20-bookworm-slim image: node, npm, npx and corepack on PATH, the
# node user 1000:1000 with /home/node, root by default (the Dockerfile's RUN steps use apt-get),
# docker-entrypoint.sh. Bookworm has Node 18 only: the files are those of the host's installed
# `nodejs` package (its Debian-format package from Node's own distribution channel, whose apt
# source is not reachable here), checked against the package's md5sums before they are copied.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4" version list
  ensure_base
  new_rootfs "$work"
  # shellcheck disable=SC2016 # dpkg-query's format, not the shell's
  version="$(dpkg-query -W -f '${Version}' nodejs 2>/dev/null)" \
    || { echo "images: node needs the host's nodejs package (Node 20) installed" >&2; return 1; }
  case "$version" in 20.*) ;; *) echo "images: node needs Node 20, the host's nodejs package is $version" >&2; return 1 ;; esac
  # node itself must be the package's (md5sums); npm may have been upgraded in place (npm i -g npm)
  if dpkg --verify nodejs | grep -qv ' /usr/lib/node_modules/npm/'; then
    echo "images: the host's nodejs files differ from the package's md5sums; reinstall nodejs" >&2
    return 1
  fi
  list="$work.nodejs-files"
  {
    dpkg -L nodejs | grep -v '^/usr/lib/node_modules/npm/' | while read -r f; do
      if [ -f "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi
    done
    find /usr/lib/node_modules/npm \( -type f -o -type l \)
  } > "$list"
  sed -i 's#^/##' "$list"
  tar -C / --no-recursion -cf - -T "$list" | tar -C "$work" -xf -
  rm -f "$list"
  printf 'nodejs %s (files of the host package), npm %s\n' "$version" "$(chroot "$work" npm --version)" > "$out.packages"
  chroot "$work" node --version >/dev/null
  chroot "$work" groupadd --gid 1000 node
  chroot "$work" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  install -m 0755 "$IMAGES_DIR/files/node/docker-entrypoint.sh" "$work/usr/local/bin/docker-entrypoint.sh"
  finish_rootfs "$work"
  pack_rootfs "$work" "$name" "$tag" "$out" \
    --config.entrypoint docker-entrypoint.sh --config.cmd node --config.workingdir / \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env "NODE_VERSION=${version%%-*}"
}

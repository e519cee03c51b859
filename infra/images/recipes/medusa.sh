# shellcheck shell=bash
# localhost/medusa: the Medusa store image from infra/images/medusa/Dockerfile, built by buildah
# (lib/buildah.sh) on localhost/node. Its RUN steps reach the npm registry as a Docker build does:
# `npm ci` from the committed lock, `medusa build` (~2 GB of memory), then the production install.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  buildah_dockerfile "$work" "$out" "localhost/$name:$tag" "$IMAGES_DIR/medusa/Dockerfile" "$IMAGES_DIR/medusa"
  printf 'buildah %s from infra/images/medusa/Dockerfile on localhost/node:%s; @medusajs/medusa %s\n' \
    "$(buildah --version | cut -d' ' -f3)" "$NODE_TAG" "$(jq -r '.dependencies["@medusajs/medusa"]' "$IMAGES_DIR/medusa/package.json")" > "$out.packages"
}

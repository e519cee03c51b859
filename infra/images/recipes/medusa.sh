# shellcheck shell=bash
# localhost/medusa: the Medusa store image from infra/images/medusa/Dockerfile, built by buildah
# (lib/buildah.sh) on localhost/node. Its RUN steps reach the npm registry as a Docker build does:
# `npm ci` from the committed lock, `medusa build` (~2 GB of memory), then the production install.

# medusa_image WORK OUT NAME TAG PACKAGES: the store project of infra/images/medusa with the
# package.json and package-lock.json of the folder PACKAGES (the project's own, or another Medusa
# release's: recipes/medusa-previous.sh), so every release is built from one copy of the sources
medusa_image() {
  local work="$1" out="$2" name="$3" tag="$4" packages="$5" project="$IMAGES_DIR/medusa" context
  context="$project"
  if [ "$packages" != "$project" ]; then
    # the project without its packages (nor what a local install left), then the release's
    context="$work/context"
    mkdir -p "$context"
    tar -C "$project" --exclude=./node_modules --exclude=./.medusa --exclude=./previous \
      --exclude=./package.json --exclude=./package-lock.json -cf - . | tar -C "$context" -xf -
    cp "$packages/package.json" "$packages/package-lock.json" "$context/"
  fi
  buildah_dockerfile "$work" "$out" "localhost/$name:$tag" "$context/Dockerfile" "$context"
  printf 'buildah %s from infra/images/medusa/Dockerfile on localhost/node:%s; @medusajs/medusa %s\n' \
    "$(buildah --version | cut -d' ' -f3)" "$NODE_TAG" "$(jq -r '.dependencies["@medusajs/medusa"]' "$packages/package.json")" > "$out.packages"
}

recipe() {
  medusa_image "$@" "$IMAGES_DIR/medusa"
}

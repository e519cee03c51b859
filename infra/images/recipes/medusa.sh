# shellcheck shell=bash
# localhost/medusa: the Medusa store image from infra/images/medusa/Dockerfile, built without a
# Docker engine by buildah (chroot isolation, vfs storage in the image cache) on localhost/node.
# Its RUN steps reach the npm registry as a Docker build does: `npm ci` from the committed lock,
# `medusa build` (~2 GB of memory), then the production install of the build output.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4" storage="$IMAGES_CACHE/buildah"
  local node_ref="localhost/node:$NODE_TAG" ref="localhost/$name:$tag" id
  command -v buildah >/dev/null || { echo "images: medusa needs buildah (apt-get install buildah)" >&2; return 1; }
  bash "$IMAGES_DIR/build.sh" node
  local b=(buildah --root "$storage/root" --runroot "$storage/run" --storage-driver vfs)
  if ! "${b[@]}" inspect --type image "$node_ref" >/dev/null 2>&1; then
    id="$("${b[@]}" pull --quiet "oci-archive:$IMAGES_CACHE/node-$NODE_TAG.tar:$node_ref")"
    "${b[@]}" tag "$id" "$node_ref"
  fi
  mkdir -p "$work"
  # the build machine's npm CA file, for the RUN steps only (nothing of it is committed)
  local npm_mounts=() cafile
  : > "$work/npmrc"
  cafile="$(npm config get cafile 2>/dev/null || true)"
  if [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ] && [ -f "$cafile" ]; then
    printf 'cafile=/run/build-host-ca.crt\n' >> "$work/npmrc"
    npm_mounts+=(--volume "$cafile:/run/build-host-ca.crt:ro")
  fi
  npm_mounts+=(--volume "$work/npmrc:/usr/etc/npmrc:ro")
  "${b[@]}" bud --isolation chroot --pull=never --layers=false "${npm_mounts[@]}" \
    --build-arg "NODE_IMAGE=$node_ref" --tag "$ref" --file "$IMAGES_DIR/medusa/Dockerfile" "$IMAGES_DIR/medusa" \
    > "$work.bud.log" 2>&1 || { tail -n 40 "$work.bud.log" >&2; return 1; }
  "${b[@]}" push --quiet "$ref" "oci-archive:$work/image.tar:$ref"
  "${b[@]}" rmi "$ref" >/dev/null
  # containerd reads the name from io.containerd.image.name: add it next to the OCI ref name
  mkdir -p "$work/layout"
  tar -C "$work/layout" -xf "$work/image.tar"
  name_index "$work/layout/index.json" "$ref"
  tar -C "$work/layout" -cf "$out.tmp" oci-layout index.json blobs
  mv "$out.tmp" "$out"
  printf 'buildah %s from infra/images/medusa/Dockerfile on %s; @medusajs/medusa %s\n' \
    "$(buildah --version | cut -d' ' -f3)" "$node_ref" "$(jq -r '.dependencies["@medusajs/medusa"]' "$IMAGES_DIR/medusa/package.json")" > "$out.packages"
  rm -f "$work.bud.log"
}

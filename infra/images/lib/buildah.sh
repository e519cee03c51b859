# shellcheck shell=bash
# A Dockerfile built without a Docker engine: buildah with chroot isolation and vfs storage in the
# image cache, on localhost/node standing in for the registry's Node base, pushed to an OCI archive
# that containerd imports under its localhost name.

# buildah_dockerfile WORK OUT REF DOCKERFILE CONTEXT
buildah_dockerfile() {
  local work="$1" out="$2" ref="$3" dockerfile="$4" context="$5" storage="$IMAGES_CACHE/buildah"
  local node_ref="localhost/node:$NODE_TAG" id
  command -v buildah >/dev/null || { echo "images: ${ref} needs buildah (apt-get install buildah)" >&2; return 1; }
  bash "$IMAGES_DIR/build.sh" node
  local b=(buildah --root "$storage/root" --runroot "$storage/run" --storage-driver vfs)
  if ! "${b[@]}" inspect --type image "$node_ref" >/dev/null 2>&1; then
    id="$("${b[@]}" pull --quiet "oci-archive:$IMAGES_CACHE/node-$NODE_TAG.tar:$node_ref")"
    "${b[@]}" tag "$id" "$node_ref"
  fi
  mkdir -p "$work"
  # Two settings of the build machine's npm go into the RUN steps only, as a global npmrc mounted
  # for the build (nothing of it is committed): its CA file, so npm trusts what the host's npm
  # trusts, and its nodedir, so node-gyp finds Node's headers in the base image (/usr/include/node,
  # from the same package) instead of downloading them. A Docker build with internet needs neither.
  local npm_mounts=() cafile nodedir
  : > "$work/npmrc"
  cafile="$(npm config get cafile 2>/dev/null || true)"
  if [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ] && [ -f "$cafile" ]; then
    printf 'cafile=/run/build-host-ca.crt\n' >> "$work/npmrc"
    npm_mounts+=(--volume "$cafile:/run/build-host-ca.crt:ro")
  fi
  nodedir="$(npm config get nodedir 2>/dev/null || true)"
  if [ -n "$nodedir" ] && [ "$nodedir" != null ] && [ "$nodedir" != undefined ]; then
    printf 'nodedir=%s\n' "$nodedir" >> "$work/npmrc"
  fi
  npm_mounts+=(--volume "$work/npmrc:/usr/etc/npmrc:ro")
  "${b[@]}" bud --isolation chroot --pull=never --layers=false "${npm_mounts[@]}" \
    --build-arg "NODE_IMAGE=$node_ref" --tag "$ref" --file "$dockerfile" "$context" \
    > "$work.bud.log" 2>&1 || { tail -n 40 "$work.bud.log" >&2; return 1; }
  "${b[@]}" push --quiet "$ref" "oci-archive:$work/image.tar:$ref"
  "${b[@]}" rmi "$ref" >/dev/null
  # containerd reads the name from io.containerd.image.name: add it next to the OCI ref name
  mkdir -p "$work/layout"
  tar -C "$work/layout" -xf "$work/image.tar"
  name_index "$work/layout/index.json" "$ref"
  tar -C "$work/layout" -cf "$out.tmp" oci-layout index.json blobs
  mv "$out.tmp" "$out"
  rm -f "$work.bud.log"
}

# shellcheck shell=bash
# localhost/store-platform: the project's own Dockerfile, built by buildah (lib/buildah.sh) on
# localhost/node standing in for the registry's Node base. Its RUN steps reach the package
# registries (apt, npm) as a Docker build does.

recipe() {
  local work="$1" out="$2" name="$3" tag="$4"
  buildah_dockerfile "$work" "$out" "localhost/$name:$tag" "$REPO_ROOT/Dockerfile" "$REPO_ROOT"
  printf 'buildah %s from the Dockerfile on localhost/node:%s\n' "$(buildah --version | cut -d' ' -f3)" "$NODE_TAG" > "$out.packages"
  # one platform archive at a time: each source change makes a new tag (148 MiB each)
  local old
  for old in "$IMAGES_CACHE/$name"-*.tar; do
    if [ "$old" != "$out" ]; then rm -f "$old" "$old.packages"; fi
  done
}

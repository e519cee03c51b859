# shellcheck shell=bash
# A root filesystem and its run configuration as an OCI image archive (umoci), named the way
# containerd keeps it: `ctr images import` reads io.containerd.image.name from index.json.

# pack_rootfs ROOTFS NAME TAG OUT [umoci config flags...]: OUT is the OCI archive (a tar of the layout)
pack_rootfs() {
  local rootfs="$1" name="$2" tag="$3" out="$4"
  shift 4
  local layout="$out.layout" ref="localhost/$name:$tag"
  remove_tree "$layout"
  umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  umoci insert --image "$layout:$tag" --history.created_by "infra/images/recipes/$name.sh" "$rootfs" /
  umoci config --image "$layout:$tag" --no-history --os linux --architecture amd64 \
    --created "1970-01-01T00:00:00Z" --config.label "org.opencontainers.image.title=$name" "$@"
  umoci gc --layout "$layout"
  name_index "$layout/index.json" "$ref"
  tar -C "$layout" -cf "$out.tmp" oci-layout index.json blobs
  mv "$out.tmp" "$out"
  rm -rf "$layout"
}

# name_index INDEX REF: the full reference in both annotations containerd and OCI tools read
name_index() {
  local index="$1" ref="$2"
  jq --arg ref "$ref" '.manifests |= map(.annotations = {"io.containerd.image.name": $ref, "org.opencontainers.image.ref.name": $ref})' \
    "$index" > "$index.tmp"
  mv "$index.tmp" "$index"
}

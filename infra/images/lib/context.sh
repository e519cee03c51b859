# shellcheck shell=bash
# The platform image's tag: package version plus a digest of everything its build reads (the
# Dockerfile's COPY sources, the Dockerfile and the Node base tag), so a source change makes a new
# tag instead of a stale cached archive. images.ts computes the same digest (contextDigest).

PLATFORM_CONTEXT=(Dockerfile package.json package-lock.json tsconfig.json tsconfig.build.json vite.config.ts bin scripts imports constructs src)

platform_tag() {
  local version digest
  version="$(jq -r .version "$REPO_ROOT/package.json")"
  digest="$(
    cd "$REPO_ROOT" || exit 1
    {
      printf 'node=%s\n' "$NODE_TAG"
      find "${PLATFORM_CONTEXT[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    } | sha256sum | cut -c1-12
  )"
  printf '%s-%s\n' "$version" "$digest"
}

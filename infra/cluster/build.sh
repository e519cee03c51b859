#!/usr/bin/env bash
# Builds the simulated cluster's binaries (and helm) from the pinned Go modules, once per version.
# Binaries land in $STORE_PLATFORM_CACHE (default: the user's cache dir), keyed by version, and are
# reused on every later run; prints each binary's build time.
# Usage: build.sh [TARGET]...   no target: every target of the case list below (what the tests need)
#        build.sh --list        prints the targets, one a line
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

# the targets are the labels of the case list at the end of this file
known_targets() { sed -n 's/^    \([a-z][a-z0-9-]*\)) .*/\1/p' "$here/build.sh"; }
if [ "${1:-}" = --list ]; then known_targets; exit 0; fi

# the modules' go.mod files name the Go they need; GOTOOLCHAIN=local below forbids switching to it
go_min=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$here"/modules/*/go.mod | sort -V | tail -n 1)
go_hint="install Go >= $go_min (a release from go.dev/dl, or with any Go >= 1.21: GOTOOLCHAIN=go$go_min go version fetches it from the Go module proxy; then put \$(GOTOOLCHAIN=go$go_min go env GOROOT)/bin first on PATH; Debian's golang-go is older), or skip the simulated cluster and point KUBECONFIG at an existing cluster (kind, k3d, minikube, k3s)"
if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed: $go_hint" >&2
  exit 1
fi
go_have=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null || echo unknown)
if [ "$(printf '%s\n' "go$go_min" "$go_have" | sort -V | head -n 1)" != "go$go_min" ]; then
  echo "go is $go_have: $go_hint" >&2
  exit 1
fi

cache=${STORE_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/store-platform}
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

# One build at a time per cache: a second build.sh (another test file, cluster:up, the demo, CI)
# waits here for the first, then finds its binaries complete and reuses them. The lock is held on
# fd 9 for the life of this process and released by the kernel however it exits.
mkdir -p "$cache"
exec 9>"$cache/build.lock"
if ! flock -n 9; then
  echo "… waiting for another build in $cache to finish" >&2
  flock 9
fi

bin_dir() { echo "$cache/bin/$1-$2"; }

# build <name> <version> <module-dir> <ldflags> <package>...
build() {
  local name=$1 version=$2 dir=$here/modules/$3 ldflags=$4; shift 4
  local out; out=$(bin_dir "$name" "$version")
  # cached only when every binary asked for is there (a newer recipe may add one)
  local missing=0 p
  for p in "$@"; do [ -x "$out/$(basename "$p")" ] || missing=1; done
  if [ -f "$out/.complete" ] && [ $missing = 0 ]; then echo "✓ $name $version (cached)"; return; fi
  mkdir -p "$out"
  echo "… building $name $version ($*)"
  local start=$SECONDS
  (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$out/" "$@")
  touch "$out/.complete"
  echo "✓ $name $version built in $((SECONDS - start))s"
}

kube_ldflags() {
  local minor; minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  local flags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags="$flags -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  echo "$flags"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(known_targets)
# real-node names the real node's add-ons
expanded=()
for t in "${targets[@]}"; do
  if [ "$t" = real-node ]; then expanded+=(coredns kube-router local-path-provisioner traefik); else expanded+=("$t"); fi
done
targets=("${expanded[@]}")
for t in "${targets[@]}"; do
  case $t in
    kubernetes) build kubernetes "$KUBERNETES_VERSION" kubernetes "$(kube_ldflags)" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
      k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy ;;
    etcd) # etcd's main package is the server module root; -o names the binary
      out=$(bin_dir etcd "$ETCD_VERSION")
      if [ -f "$out/.complete" ]; then echo "✓ etcd $ETCD_VERSION (cached)"; continue; fi
      mkdir -p "$out"; echo "… building etcd $ETCD_VERSION"; start=$SECONDS
      (cd "$here/modules/etcd" && go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
      touch "$out/.complete"; echo "✓ etcd $ETCD_VERSION built in $((SECONDS - start))s" ;;
    kwok) build kwok "$KWOK_VERSION" kwok "-s -w" sigs.k8s.io/kwok/cmd/kwok
      # kwok's stage definitions ship in its module; keep them beside the binary so starting the
      # cluster needs no Go toolchain
      stages=$(bin_dir kwok "$KWOK_VERSION")/stage
      if [ ! -d "$stages" ]; then
        src=$(cd "$here/modules/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
        cp -r "$src/kustomize/stage" "$stages" && chmod -R u+w "$stages"
      fi ;;
    helm) build helm "$HELM_VERSION" helm "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" helm.sh/helm/v3/cmd/helm ;;
    # the real node's add-ons
    coredns) build coredns "$COREDNS_VERSION" coredns "-s -w" github.com/coredns/coredns ;;
    kube-router) build kube-router "$KUBE_ROUTER_VERSION" kube-router \
      "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION" \
      github.com/cloudnativelabs/kube-router/v2/cmd/kube-router ;;
    local-path-provisioner) build local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" local-path-provisioner \
      "-s -w" github.com/rancher/local-path-provisioner ;;
    traefik) build traefik "$TRAEFIK_VERSION" traefik \
      "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" github.com/traefik/traefik/v3/cmd/traefik ;;
    # the S3-compatible server the backup round-trip tests run on loopback
    versitygw) build versitygw "$VERSITYGW_VERSION" versitygw \
      "-s -w -X main.Version=$VERSITYGW_VERSION" github.com/versity/versitygw/cmd/versitygw ;;
    *) echo "unknown target '$t' (expected kubernetes, etcd, kwok, helm, coredns, kube-router, local-path-provisioner, traefik, versitygw or real-node)" >&2; exit 2 ;;
  esac
done

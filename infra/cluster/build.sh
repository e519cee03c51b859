#!/usr/bin/env bash
# Builds the simulated cluster's binaries (and helm) from the pinned Go modules, once per version.
# Binaries land in $STORE_PLATFORM_CACHE (default: the user's cache dir), keyed by version, and are
# reused on every later run; prints each binary's build time. Usage: build.sh [kubernetes|etcd|kwok|helm]...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed: install Go 1.26+ (https://go.dev/dl or apt-get install golang-go), or skip the simulated cluster and point KUBECONFIG at an existing cluster (kind, k3d, minikube, k3s)" >&2
  exit 1
fi

cache=${STORE_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/store-platform}
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

bin_dir() { echo "$cache/bin/$1-$2"; }

# build <name> <version> <module-dir> <ldflags> <package>...
build() {
  local name=$1 version=$2 dir=$here/modules/$3 ldflags=$4; shift 4
  local out; out=$(bin_dir "$name" "$version")
  if [ -f "$out/.complete" ]; then echo "✓ $name $version (cached)"; return; fi
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
[ ${#targets[@]} -gt 0 ] || targets=(etcd kwok kubernetes)
for t in "${targets[@]}"; do
  case $t in
    kubernetes) build kubernetes "$KUBERNETES_VERSION" kubernetes "$(kube_ldflags)" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl ;;
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
    *) echo "unknown target '$t' (expected kubernetes, etcd, kwok or helm)" >&2; exit 2 ;;
  esac
done

#!/usr/bin/env bash
# Regenerates the wrapper modules in infra/cluster/modules from versions.env.
# k8s.io/kubernetes and etcd's server pin their siblings with relative `replace` lines that a
# consumer ignores, so `go install pkg@version` is refused; a wrapper module with the right
# replace lines is the supported way to build them from the module proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

pin_kubernetes() {
  local dir=$here/modules/kubernetes staging=v0.${KUBERNETES_VERSION#v1.}
  rm -f "$dir/go.mod" "$dir/go.sum"
  (cd "$dir" && go mod init store-platform.local/cluster/kubernetes >/dev/null 2>&1)
  local gomod
  gomod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  # every staging module k8s.io/kubernetes replaces with ./staging/... gets the matching release instead
  sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$gomod" | while read -r m; do
    (cd "$dir" && go mod edit -replace="$m=$m@$staging")
  done
  (cd "$dir" && go get -tool \
    "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kube-scheduler@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kubectl@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kubelet@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kube-proxy@$KUBERNETES_VERSION")
}

pin_simple() { # dir module-path version package...
  local dir=$here/modules/$1 version=$3; shift 3
  rm -f "$dir/go.mod" "$dir/go.sum"
  (cd "$dir" && go mod init "store-platform.local/cluster/$(basename "$dir")" >/dev/null 2>&1)
  local pkgs=()
  for p in "$@"; do pkgs+=("$p@$version"); done
  (cd "$dir" && go get -tool "${pkgs[@]}")
}

# Like pin_simple, for a module whose go.mod replaces some dependencies with forks (Traefik):
# a consumer ignores those lines, so the wrapper copies every non-local replace and exclude.
pin_with_upstream_replaces() { # dir module-path version package...
  local dir=$here/modules/$1 module=$2 version=$3; shift 3
  rm -f "$dir/go.mod" "$dir/go.sum"
  (cd "$dir" && go mod init "store-platform.local/cluster/$(basename "$dir")" >/dev/null 2>&1)
  local gomod
  gomod=$(cd "$dir" && go mod download -json "$module@$version" | sed -n 's/^\s*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  awk '/^replace \($/ {inblock=1; next} inblock && /^\)/ {inblock=0; next}
       inblock {print; next} /^replace / {sub(/^replace /, ""); print}' "$gomod" | grep -v '=> \.' |
    while read -r from _ to toversion; do
      (cd "$dir" && go mod edit -replace="$from=$to@$toversion")
    done
  sed -n 's/^exclude \(.*\) \(v.*\)$/\1@\2/p' "$gomod" | while read -r ex; do
    (cd "$dir" && go mod edit -exclude="$ex")
  done
  local pkgs=()
  for p in "$@"; do pkgs+=("$p@$version"); done
  (cd "$dir" && go get -tool "${pkgs[@]}")
}

pin_kubernetes
pin_simple etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3
pin_simple kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
pin_simple helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm
# the real node's add-ons
pin_simple coredns github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns
pin_simple kube-router github.com/cloudnativelabs/kube-router/v2 "$KUBE_ROUTER_VERSION" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
pin_simple local-path-provisioner github.com/rancher/local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" github.com/rancher/local-path-provisioner
pin_with_upstream_replaces traefik github.com/traefik/traefik/v3 "$TRAEFIK_VERSION" github.com/traefik/traefik/v3/cmd/traefik
# the backup tests' S3 server
pin_simple versitygw github.com/versity/versitygw "$VERSITYGW_VERSION" github.com/versity/versitygw/cmd/versitygw
echo "pinned: kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, helm $HELM_VERSION," \
  "coredns $COREDNS_VERSION, kube-router $KUBE_ROUTER_VERSION, local-path-provisioner $LOCAL_PATH_PROVISIONER_VERSION, traefik $TRAEFIK_VERSION, versitygw $VERSITYGW_VERSION"

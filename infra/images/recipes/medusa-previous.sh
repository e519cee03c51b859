# shellcheck shell=bash
# localhost/medusa-previous: the Medusa store image one Medusa release back, for the real node's
# upgrade test (a store made on it, then moved to localhost/medusa). The same project and Dockerfile
# as recipes/medusa.sh, with the package.json and lock of infra/images/medusa/previous (@medusajs/*
# at the release MEDUSA_PREVIOUS_TAG names).

# shellcheck source=infra/images/recipes/medusa.sh
. "$IMAGES_DIR/recipes/medusa.sh"

recipe() {
  medusa_image "$@" "$IMAGES_DIR/medusa/previous"
}

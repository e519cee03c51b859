#!/bin/bash
# Entrypoint of the WordPress stand-in for the official wordpress:apache image: the same contract,
# written here. For `apache2*`/`php-fpm` commands, or when called as docker-ensure-installed.sh:
#   - WordPress (/usr/src/wordpress) is copied into the working directory (the docroot) unless
#     index.php or wp-includes/version.php is already there; plugins and themes that already exist
#     in wp-content (a persistent volume) are kept, not overwritten;
#   - wp-config.php is written from wp-config-docker.php when absent and any WORDPRESS_* variable
#     is set (that file reads WORDPRESS_DB_*, the keys and salts, WORDPRESS_CONFIG_EXTRA, ...).
# Then it execs the command. Runs as any uid (www-data is 33); files get the running user.
set -Eeuo pipefail

ensure_installed() {
  local uid gid user group
  uid="$(id -u)"
  gid="$(id -g)"
  if [ "$uid" = 0 ]; then
    user="${APACHE_RUN_USER:-www-data}"
    group="${APACHE_RUN_GROUP:-www-data}"
    user="${user#'#'}"
    group="${group#'#'}"
  else
    user="$uid"
    group="$gid"
  fi

  if [ ! -e index.php ] && [ ! -e wp-includes/version.php ]; then
    if [ "$uid" = 0 ] && [ "$(stat -c '%u:%g' .)" = 0:0 ]; then chown "$user:$group" .; fi
    echo >&2 "WordPress not found in $PWD - copying now..."
    if [ -n "$(find . -mindepth 1 -maxdepth 1 -not -name wp-content)" ]; then
      echo >&2 "WARNING: $PWD is not empty! (copying anyhow)"
    fi
    local content keep=()
    for content in /usr/src/wordpress/.htaccess /usr/src/wordpress/wp-content/*/*/; do
      content="${content%/}"
      [ -e "$content" ] || continue
      content="${content#/usr/src/wordpress/}"
      if [ -e "$PWD/$content" ]; then
        echo >&2 "WARNING: '$PWD/$content' exists! (not copying the WordPress version)"
        keep+=("./$content")
      fi
    done
    # Directories that already exist (the docroot itself, a mounted wp-content) keep their owner
    # and mode: their entries are left out of the archive, as a non-root user may not change them
    # (tar's --no-overwrite-dir still tries to in the tar of this Debian release).
    copy_list() {
      local path k
      (cd /usr/src/wordpress && find . -mindepth 1 -print0) | while IFS= read -r -d '' path; do
        if [ -d "$PWD/$path" ] && [ ! -L "$PWD/$path" ]; then continue; fi
        for k in "${keep[@]}"; do
          case "$path" in "$k" | "$k"/*) continue 2 ;; esac
        done
        printf '%s\0' "$path"
      done
    }
    copy_list | tar --create --file - --directory /usr/src/wordpress --owner "$user" --group "$group" \
      --no-recursion --null --files-from - | tar --extract --file -
    echo >&2 "Complete! WordPress has been successfully copied to $PWD"
  fi

  local wp_envs=()
  mapfile -t wp_envs < <(compgen -e WORDPRESS_ || true)
  if [ ! -s wp-config.php ] && [ "${#wp_envs[@]}" -gt 0 ]; then
    local source
    for source in wp-config-docker.php /usr/src/wordpress/wp-config-docker.php; do
      [ -s "$source" ] || continue
      echo >&2 "No 'wp-config.php' found in $PWD, but 'WORDPRESS_...' variables supplied; copying '$source' (${wp_envs[*]})"
      # unique defaults for any key or salt not given by the environment
      awk '
        /put your unique phrase here/ {
          cmd = "head -c1m /dev/urandom | sha1sum | cut -d\\  -f1"
          cmd | getline str
          close(cmd)
          gsub("put your unique phrase here", str)
        }
        { print }
      ' "$source" > wp-config.php
      if [ "$uid" = 0 ]; then chown "$user:$group" wp-config.php || true; fi
      break
    done
  fi
}

if [[ "$1" == apache2* ]] || [ "$1" = php-fpm ] || [ "$(basename "$0")" = docker-ensure-installed.sh ]; then
  ensure_installed
fi
exec "$@"

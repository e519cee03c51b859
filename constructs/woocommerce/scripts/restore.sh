#!/bin/sh
# Restores one backup of a WooCommerce store from its restic repository. Everything is read back and
# checked before the store is touched: the manifest, the database dump (its sha256 against the
# manifest's) and the files (restored beside the live ones, restic verifying what it wrote, their
# listing against the manifest's); a damaged or incomplete backup is refused and nothing changes.
# Only then are the database's tables replaced by the dump's and the wp-content entries swapped for the
# restored ones. Run by the store's restore Job with WordPress scaled down; environment as backup.sh's.
SCRIPT=restore
ENGINE=woocommerce
here="$(dirname "$0")"
# shellcheck source=../../backup/scripts/restic-lib.sh
. "${BACKUP_LIB:-$here/restic-lib.sh}"
# shellcheck source=store-db.sh
. "$here/store-db.sh"

begin_restore
staged=$(stage_files "$WP_CONTENT_DIR/.restore-$BACKUP_ID")
mariadb_sql 'SELECT 1' >/dev/null || die "the store's database at $DB_HOST cannot be reached: $(tail -n 1 "$WORK/sql.err")"

log "replacing the tables of database $DB_NAME"
# every table and view goes first (ones made after the backup too), then the dump recreates its own;
# one client session, so the foreign-key switch holds for the whole import
drops="SELECT CONCAT('DROP ', IF(table_type = 'VIEW', 'VIEW', 'TABLE'), ' IF EXISTS \`', REPLACE(table_name, '\`', '\`\`'), '\`;')
  FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_type = 'VIEW' DESC"
mariadb_sql "$drops" > "$WORK/drops.sql" || die "cannot list the tables of $DB_NAME: $(tail -n 1 "$WORK/sql.err")"
{
  echo 'SET FOREIGN_KEY_CHECKS = 0;'
  cat "$WORK/drops.sql"
  stream_database
} | "$CLIENT" --defaults-extra-file="$MY_CNF" --batch "$DB_NAME" 2>"$WORK/import.err" ||
  die "the database import failed, the store's database is incomplete: $(tail -n 3 "$WORK/import.err" | tr '\n' ' ')"
stream_intact || die "the database dump changed while it was imported, the store's database is incomplete: $(restic_error)"

log "replacing the files in $WP_CONTENT_DIR"
swap_files "$WP_CONTENT_DIR" "$staged"
rm -rf "$WP_CONTENT_DIR/.restore-$BACKUP_ID"
finish_restore

#!/bin/sh
# Restores one backup of a WooCommerce store from its restic repository. Everything is read back and
# checked before the store is touched: the manifest, the database dump (its sha256 against the
# manifest's) and the files (restored beside the live ones, restic verifying what it wrote, their
# listing against the manifest's); a damaged or incomplete backup is refused and nothing changes.
# Only then are the database's tables replaced by the dump's and the wp-content entries swapped for the
# restored ones. MariaDB commits every DDL statement as it runs, so the import cannot be one
# transaction: the store's own tables are dumped first, and a failed import puts them back.
# Run by the store's restore Job with WordPress scaled down; environment as backup.sh's.
SCRIPT=restore
ENGINE=woocommerce
here="$(dirname "$0")"
# shellcheck source=../../backup/scripts/restic-lib.sh
. "${BACKUP_LIB:-$here/restic-lib.sh}"
# shellcheck source=store-db.sh
. "$here/store-db.sh"

begin_restore
staged_root="$WP_CONTENT_DIR/.restore-$BACKUP_ID"
staged=$(stage_files "$staged_root")
mariadb_sql 'SELECT 1' >/dev/null || { rm -rf "$staged_root"; die "refusing to restore: the store's database at $DB_HOST cannot be reached: $(tail -n 1 "$WORK/sql.err")"; }

log "keeping a copy of database $DB_NAME as it is"
status_of keep dump_database 2>"$WORK/keep.err" | gzip -1 > "$WORK/before-restore.sql.gz"
succeeded keep || { rm -rf "$staged_root"; die "refusing to restore: the store's database could not be copied before the restore: $(tail -n 3 "$WORK/keep.err" | tr '\n' ' ')"; }

# undo_import WHY: the kept copy goes back in place of a failed import's tables
undo_import() {
  rm -rf "$staged_root"
  log "the import failed ($1); putting the store's own tables back"
  gzip -dc "$WORK/before-restore.sql.gz" | replace_database 2>"$WORK/undo.err" ||
    die "$1, and putting the store's own tables back failed too, the store's database is incomplete: $(client_error "$WORK/undo.err")"
  die "$1; the import was undone and the store's database is unchanged"
}

log "replacing the tables of database $DB_NAME"
stream_database | replace_database 2>"$WORK/import.err" ||
  undo_import "the database import failed: $(client_error "$WORK/import.err")"
stream_intact || undo_import "the database dump changed while it was imported: $(restic_error)"

log "replacing the files in $WP_CONTENT_DIR"
swap_files "$WP_CONTENT_DIR" "$staged"
rm -rf "$staged_root"
finish_restore

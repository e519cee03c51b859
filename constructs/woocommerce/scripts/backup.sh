#!/bin/sh
# Backs up one WooCommerce store into its restic repository: a single-transaction dump of the
# WordPress database streamed into restic (never a file on disk), the wp-content folder, then the
# manifest; then the plan's retention. Run by the store's backup Job; the shared half is
# restic-lib.sh (constructs/backup/scripts), sourced from BACKUP_LIB.
#
# Environment besides restic-lib.sh's: DB_HOST, DB_PORT (default 3306), DB_NAME, DB_USER, DB_PASSWORD
# (from the store's Secret; it reaches the dump tool in an option file, never its command line) and
# WP_CONTENT_DIR (the store's wp-content volume).
SCRIPT=backup
ENGINE=woocommerce
here="$(dirname "$0")"
# shellcheck source=../../backup/scripts/restic-lib.sh
. "${BACKUP_LIB:-$here/restic-lib.sh}"
# shellcheck source=store-db.sh
. "$here/store-db.sh"

start_backup
server="$(mariadb_sql 'SELECT VERSION()')" || die "the store's database at $DB_HOST cannot be reached: $(tail -n 1 "$WORK/sql.err")"
add_version server "$server"
add_version dump "$("$DUMP" --version)"

log "backup $BACKUP_ID of store $STORE_ID: database $DB_NAME"
db_snapshot=$(status_of dump dump_database 2>"$WORK/dump.err" | backup_stream database database.sql) || {
  discard_backup
  die "the database dump could not be written to the repository: $(restic_error)"
}
succeeded dump || { discard_backup; die "the database dump failed: $(tail -n 3 "$WORK/dump.err" | tr '\n' ' ')"; }

log "backup $BACKUP_ID of store $STORE_ID: files in $WP_CONTENT_DIR"
files_snapshot=$(backup_dir files "$WP_CONTENT_DIR") || {
  discard_backup
  die "the files could not be written to the repository: $(restic_error)"
}

finish_backup "$ENGINE" "$db_snapshot" /database.sql sql "$files_snapshot" "$WP_CONTENT_DIR"

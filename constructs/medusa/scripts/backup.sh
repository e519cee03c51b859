#!/bin/sh
# Backs up one Medusa store into its restic repository: pg_dump's custom format streamed into
# restic (never a file on disk), then the manifest; then the plan's retention. Medusa keeps no files
# of its own (uploads go to a file provider, none by default). Run by the store's backup Job; the
# shared half is restic-lib.sh (constructs/backup/scripts), sourced from BACKUP_LIB.
#
# Environment besides restic-lib.sh's: libpq's PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD (from
# the store's Secret; libpq reads it from the environment, never a command line).
SCRIPT=backup
ENGINE=medusa
here="$(dirname "$0")"
# shellcheck source=../../backup/scripts/restic-lib.sh
. "${BACKUP_LIB:-$here/restic-lib.sh}"
require PGHOST PGDATABASE PGUSER PGPASSWORD

start_backup
server="$(psql -XAtqc 'SHOW server_version' 2>"$WORK/sql.err")" || die "the store's database at $PGHOST cannot be reached: $(tail -n 1 "$WORK/sql.err")"
add_version server "$server"
add_version dump "$(pg_dump --version)"

log "backup $BACKUP_ID of store $STORE_ID: database $PGDATABASE"
# pg_dump runs in one repeatable-read transaction: a consistent snapshot while the shop keeps serving
db_snapshot=$(status_of dump pg_dump --format=custom --no-owner --no-privileges 2>"$WORK/dump.err" | backup_stream database database.pgdump) || {
  discard_backup
  die "the database dump could not be written to the repository: $(restic_error)"
}
succeeded dump || { discard_backup; die "the database dump failed: $(tail -n 3 "$WORK/dump.err" | tr '\n' ' ')"; }

finish_backup "$ENGINE" "$db_snapshot" /database.pgdump pg_dump-custom

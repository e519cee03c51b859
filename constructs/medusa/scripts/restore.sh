#!/bin/sh
# Restores one backup of a Medusa store from its restic repository. The manifest and the dump (its
# sha256 against the manifest's) are read back and checked before the database is touched; a damaged
# or incomplete backup is refused and nothing changes. The restore itself is one transaction: the
# public schema is dropped and recreated, pg_restore's statements run, and COMMIT is sent only when
# the whole dump came through and matched again; on any error PostgreSQL rolls everything back.
# Run by the store's restore Job with the Medusa server scaled down; environment as backup.sh's.
SCRIPT=restore
ENGINE=medusa
here="$(dirname "$0")"
# shellcheck source=../../backup/scripts/restic-lib.sh
. "${BACKUP_LIB:-$here/restic-lib.sh}"
require PGHOST PGDATABASE PGUSER PGPASSWORD

begin_restore
psql -XAtqc 'SELECT 1' >/dev/null 2>"$WORK/sql.err" || die "refusing to restore: the store's database at $PGHOST cannot be reached: $(tail -n 1 "$WORK/sql.err")"

log "replacing database $PGDATABASE in one transaction"
mkfifo "$WORK/dump.fifo"
{
  echo 'BEGIN;'
  echo 'DROP SCHEMA IF EXISTS public CASCADE;'
  echo 'CREATE SCHEMA public;'
  stream_database > "$WORK/dump.fifo" &
  feeder=$!
  # on stdin: given a file name, pg_restore opens it twice, and a fifo cannot be read twice
  status_of convert pg_restore --no-owner --no-privileges --file=- < "$WORK/dump.fifo" 2>"$WORK/convert.err"
  wait "$feeder"
  if succeeded convert && stream_intact; then echo 'COMMIT;'; else echo 'ROLLBACK;'; fi
} | psql -X -q -v ON_ERROR_STOP=1 >/dev/null 2>"$WORK/import.err" ||
  die "the database import failed and was rolled back, the store's database is unchanged: $(tail -n 3 "$WORK/import.err" | tr '\n' ' ')"
succeeded convert || die "pg_restore failed, the import was rolled back and the store's database is unchanged: $(tail -n 3 "$WORK/convert.err" | tr '\n' ' ')"
stream_intact || die "the dump changed while it was imported; the import was rolled back and the store's database is unchanged: $(restic_error)"
finish_restore

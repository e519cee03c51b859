#!/bin/sh
# The engine-neutral half of a store's backup and restore, sourced by each engine's backup.sh and
# restore.sh: the restic repository (one per store), the snapshots of one backup, its manifest,
# verification and retention. Everything secret arrives in the environment, never on a command line.
#
# One backup is up to three restic snapshots taken at the same --time and tagged backup=<id>:
#   part=database  the database dump, streamed from the dump tool into `restic backup --stdin`
#   part=files     the store's files (WordPress's wp-content), when the engine has any
#   part=manifest  manifest.json, written last: a backup without one is incomplete and never restored
#
# Environment (both directions):
#   RESTIC_REPOSITORY      s3:<endpoint>/<bucket>/stores/<slug>
#   RESTIC_PASSWORD        the store's repository password (from the store's Secret)
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the platform's S3 credentials (from a Secret)
#   STORE_ID               the store's slug: the store backed up, or the store a restore writes into
#   BACKUP_ID              this backup's id: lowercase letters, digits and dashes
# Restore only: SOURCE_STORE_ID (default STORE_ID), the slug of the store whose repository (given as
# RESTIC_REPOSITORY and RESTIC_PASSWORD) and backup are read; another store's when a backup is cloned
# into a new store. A backup refuses one that differs: it writes into its own store's repository only.
# Backup only: BACKUP_PLAN, KEEP_DAILY, KEEP_WEEKLY; STORE_SPEC (the store's spec as JSON, kept in the manifest); BACKUP_TIME ('YYYY-MM-DD HH:MM:SS', UTC;
# default now); BACKUP_DEADLINE_SECONDS (default a day: the time the snapshots may take, kept below
# the Job's own deadline). Restic's own RESTIC_CACHE_DIR and AWS_DEFAULT_REGION are honoured.
# Optional: RESULT_FILE (the run's result as one JSON line, e.g. /dev/termination-log, where the platform
# reads it); S3_BUCKET_LOOKUP (path or dns: restic's -o s3.bucket-lookup, restic 0.16 and later).
set -eu
export TZ=UTC

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$SCRIPT" "$*"; }
die() { printf '%s: FAILED: %s\n' "$SCRIPT" "$*" >&2; exit 1; }

# require NAME...: each variable is set and not empty
require() {
  for name in "$@"; do
    eval "value=\${$name:-}"
    # shellcheck disable=SC2154 # assigned by the eval above
    [ -n "$value" ] || die "$name is not set"
  done
  unset value
}

# A private scratch folder, removed on exit; fifos and credential files live here.
WORK="$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/backup.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

require RESTIC_REPOSITORY RESTIC_PASSWORD STORE_ID BACKUP_ID
case "$BACKUP_ID" in
  *[!a-z0-9-]* | -* ) die "BACKUP_ID must be lowercase letters, digits and dashes, got '$BACKUP_ID'" ;;
esac
case "$STORE_ID" in
  *[!a-z0-9-]* | -* ) die "STORE_ID must be a store slug, got '$STORE_ID'" ;;
esac
SOURCE_STORE_ID="${SOURCE_STORE_ID:-$STORE_ID}"
case "$SOURCE_STORE_ID" in
  *[!a-z0-9-]* | -* ) die "SOURCE_STORE_ID must be a store slug, got '$SOURCE_STORE_ID'" ;;
esac
# every snapshot of a store carries the same host, so retention groups them whatever pod took them
HOST="store-$STORE_ID"

# restic with the target's bucket addressing, when the platform names one
case "${S3_BUCKET_LOOKUP:-}" in
  '' ) RESTIC_OPTION='' ;;
  path | dns ) RESTIC_OPTION="s3.bucket-lookup=$S3_BUCKET_LOOKUP" ;;
  * ) die "S3_BUCKET_LOOKUP must be path or dns, got '$S3_BUCKET_LOOKUP'" ;;
esac
restic() { command restic ${RESTIC_OPTION:+-o "$RESTIC_OPTION"} "$@"; }

# write_result < json: the run's result for the platform (RESULT_FILE), when it asks for one
write_result() {
  if [ -n "${RESULT_FILE:-}" ]; then cat > "$RESULT_FILE"; else cat > /dev/null; fi
}

# restic's message for a failed call on one line: the first line of its error output (the cause)
# and the last (its verdict)
restic_error() {
  { head -n 1 "$WORK/restic.err"; tail -n 1 "$WORK/restic.err"; } 2>/dev/null | uniq | tr '\n' ' ' | sed 's/ $//'
  if [ -n "${STARTED:-}" ] && [ "$(($(date -u +%s) - STARTED))" -ge "${BACKUP_DEADLINE_SECONDS:-86400}" ]; then
    printf ' (stopped at the backup deadline of %ss)' "${BACKUP_DEADLINE_SECONDS:-86400}"
  fi
}

# open_repository STORE [create]: opens STORE's repository, creating it on the first backup.
open_repository() {
  owner="$1"; create="${2:-no}"
  if restic cat config >/dev/null 2>"$WORK/restic.err"; then
    if [ "$owner" = "$STORE_ID" ]; then
      # the platform runs one backup or restore Job per store at a time: any lock left is a killed run's
      # (restic calls a lock stale only after 30 minutes when it was taken on another host, another pod)
      restic unlock --remove-all >/dev/null 2>&1 || true
    else
      # another store's repository: a lock in it may be that store's own running Job, so stale ones only
      restic unlock >/dev/null 2>&1 || true
    fi
    return 0
  fi
  if [ "$create" != create ] || ! grep -qi 'specified key does not exist\|specified bucket does not exist\|config: no such file' "$WORK/restic.err"; then
    die "the backup repository for store $owner cannot be opened: $(restic_error)"
  fi
  log "creating the backup repository for store $STORE_ID"
  restic init >/dev/null 2>"$WORK/restic.err" || die "the backup repository for store $STORE_ID cannot be created: $(restic_error)"
}

# The snapshot id from a `restic backup --json` output file.
snapshot_id() {
  jq -r 'select(.message_type == "summary") | .snapshot_id' "$1" | tail -n 1
}

# restic_backup PART ARGS...: `restic backup` of one part of this backup, its JSON output in $WORK/PART.out
# Each runs under what is left of BACKUP_DEADLINE_SECONDS, so an unreachable S3 endpoint (restic retries
# for minutes) ends in this script's own message rather than in the Job's deadline.
restic_backup() {
  part="$1"; shift
  left=$((STARTED + ${BACKUP_DEADLINE_SECONDS:-86400} - $(date -u +%s)))
  [ "$left" -gt 0 ] || left=1
  timeout "$left" restic ${RESTIC_OPTION:+-o "$RESTIC_OPTION"} backup --json --host "$HOST" --tag "store=$STORE_ID,backup=$BACKUP_ID,part=$part" --time "$BACKUP_TIME" "$@" \
    > "$WORK/$part.out" 2>"$WORK/restic.err"
}

# backup_stream PART FILENAME < data: one snapshot holding stdin as /FILENAME. Prints its id;
# its sha256 lands in $WORK/PART.sha256 and its size in $WORK/PART.bytes.
backup_stream() {
  part="$1"; name="$2"
  mkfifo "$WORK/$part.fifo"
  sha256sum < "$WORK/$part.fifo" | cut -d' ' -f1 > "$WORK/$part.sha256" &
  hasher=$!
  tee "$WORK/$part.fifo" | restic_backup "$part" --stdin --stdin-filename "$name" || { wait "$hasher" || true; return 1; }
  wait "$hasher"
  jq -r 'select(.message_type == "summary") | .total_bytes_processed' "$WORK/$part.out" | tail -n 1 > "$WORK/$part.bytes"
  snapshot_id "$WORK/$part.out"
}

# backup_dir PART DIR: one snapshot of DIR (restore stages are left out). Prints its id.
backup_dir() {
  restic_backup "$1" --exclude "$2/.restore-*" --exclude "$2/.previous-*" "$2" || return 1
  snapshot_id "$WORK/$1.out"
}

# file_listing DIR: sha256 and name of every file under DIR, in a stable order (restore stages left out)
file_listing() {
  (cd "$1" && find . \( -path './.restore-*' -o -path './.previous-*' \) -prune -o -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# dir_stats DIR: prints "<files> <bytes> <sha256 of the listing>"
dir_stats() {
  file_listing "$1" > "$WORK/listing"
  count=$(wc -l < "$WORK/listing" | tr -d ' ')
  bytes=$(cd "$1" && find . \( -path './.restore-*' -o -path './.previous-*' \) -prune -o -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }')
  printf '%s %s %s\n' "$count" "$bytes" "$(sha256sum < "$WORK/listing" | cut -d' ' -f1)"
}

# Forgets every snapshot of this backup (after a failure), best effort: the repository may be the
# thing that failed. Retention removes what is left the next time it can.
discard_backup() {
  ids=$(restic snapshots --json --host "$HOST" --tag "backup=$BACKUP_ID" 2>/dev/null | jq -r '.[].id' 2>/dev/null) || return 0
  # shellcheck disable=SC2086 # snapshot ids: hex words
  [ -z "$ids" ] || restic forget $ids >/dev/null 2>&1 || true
}

# snapshots_json STORE [TAG]: STORE's snapshots as JSON
snapshots_json() {
  restic snapshots --json --host "store-$1" ${2:+--tag "$2"} 2>"$WORK/restic.err" || die "cannot list the snapshots of store $1: $(restic_error)"
}

# Retention: first the parts of incomplete backups (no manifest: a run that failed or was killed),
# then restic's own policy per part (each part is a group of host and path, and the three parts of a
# backup share one time, so every group keeps the same backups), then prune.
apply_retention() {
  require KEEP_DAILY KEEP_WEEKLY
  snapshots_json "$STORE_ID" > "$WORK/all.json"
  jq -r --arg current "$BACKUP_ID" '
    [.[] | {id, backup: ((.tags // [])[] | select(startswith("backup=")) | ltrimstr("backup=")), part: ((.tags // [])[] | select(startswith("part=")) | ltrimstr("part="))}]
    | (map(select(.part == "manifest") | .backup)) as $complete
    | .[] | select(.backup != $current and (.backup | IN($complete[]) | not)) | .id' "$WORK/all.json" > "$WORK/orphans"
  if [ -s "$WORK/orphans" ]; then
    log "retention: forgetting $(wc -l < "$WORK/orphans" | tr -d ' ') snapshots of incomplete backups"
    # shellcheck disable=SC2046 # snapshot ids: hex, one a line
    restic forget $(cat "$WORK/orphans") >/dev/null 2>"$WORK/restic.err" || die "retention failed: $(restic_error)"
  fi
  log "retention: keep $KEEP_DAILY daily and $KEEP_WEEKLY weekly"
  restic forget --host "$HOST" --group-by host,paths --keep-daily "$KEEP_DAILY" --keep-weekly "$KEEP_WEEKLY" --prune \
    >/dev/null 2>"$WORK/restic.err" || die "retention failed: $(restic_error)"
}

# find_backup: sets MANIFEST_SNAPSHOT from the source store's manifest snapshot of the backup and
# MANIFEST to its file, or refuses a backup that is missing, incomplete or another store's.
find_backup() {
  snapshots_json "$SOURCE_STORE_ID" "backup=$BACKUP_ID" > "$WORK/parts.json"
  if [ "$(jq length "$WORK/parts.json")" = 0 ]; then
    # a backup of that id taken by another store names who owns it (a clone given the wrong source)
    owners=$(restic snapshots --json --tag "backup=$BACKUP_ID" 2>/dev/null | jq -r '[.[].hostname | ltrimstr("store-")] | unique | join(", ")' 2>/dev/null) || owners=''
    [ -z "$owners" ] || die "refusing to restore: backup $BACKUP_ID in this repository belongs to store '$owners', not '$SOURCE_STORE_ID'"
    die "refusing to restore: store $SOURCE_STORE_ID has no backup $BACKUP_ID"
  fi
  MANIFEST_SNAPSHOT=$(jq -r '[.[] | select((.tags // []) | index("part=manifest"))][0].id // empty' "$WORK/parts.json")
  [ -n "$MANIFEST_SNAPSHOT" ] || die "refusing to restore: backup $BACKUP_ID of store $SOURCE_STORE_ID is incomplete (it has no manifest; the backup failed or was interrupted)"
  MANIFEST="$WORK/manifest.json"
  restic dump "$MANIFEST_SNAPSHOT" /manifest.json > "$MANIFEST" 2>"$WORK/restic.err" ||
    die "refusing to restore: the manifest of backup $BACKUP_ID cannot be read from the repository: $(restic_error)"
  jq -e . "$MANIFEST" >/dev/null 2>&1 || die "refusing to restore: the manifest of backup $BACKUP_ID is not valid JSON"
  [ "$(manifest .engine)" = "$ENGINE" ] || die "refusing to restore: backup $BACKUP_ID is of engine '$(manifest .engine)', this store runs '$ENGINE'"
  [ "$(manifest .store)" = "$SOURCE_STORE_ID" ] || die "refusing to restore: backup $BACKUP_ID belongs to store '$(manifest .store)', not '$SOURCE_STORE_ID'"
}

# manifest FILTER: one value of the manifest
manifest() { jq -r "$1 // empty" "$MANIFEST"; }

# status_of NAME CMD...: runs CMD and keeps its exit status in $WORK/NAME.rc, for the left side of a
# pipe (POSIX sh has no pipefail); `succeeded NAME` tests it afterwards.
status_of() {
  name="$1"; shift
  rc=0; "$@" || rc=$?
  echo "$rc" > "$WORK/$name.rc"
}
succeeded() { [ "$(cat "$WORK/$1.rc" 2>/dev/null)" = 0 ]; }

# verify_database: reads the database part back in full and compares its sha256 with the manifest's,
# before anything in the store is touched. Restic checks every blob it reads, so a damaged pack fails here.
verify_database() {
  log "verifying the database dump of backup $BACKUP_ID"
  status_of verify restic dump "$(manifest .database.snapshot)" "$(manifest .database.path)" 2>"$WORK/restic.err" |
    sha256sum | cut -d' ' -f1 > "$WORK/verify.sha256"
  succeeded verify ||
    die "refusing to restore: the database dump of backup $BACKUP_ID cannot be read intact from the repository (restic: $(restic_error))"
  [ "$(cat "$WORK/verify.sha256")" = "$(manifest .database.sha256)" ] ||
    die "refusing to restore: the database dump of backup $BACKUP_ID does not match its manifest (sha256 $(cat "$WORK/verify.sha256"), manifest $(manifest .database.sha256))"
}

# stream_database: the verified dump on stdout, read once more; `stream_intact` tells afterwards whether
# the whole of it came through unchanged.
stream_database() {
  mkfifo "$WORK/stream.fifo"
  sha256sum < "$WORK/stream.fifo" | cut -d' ' -f1 > "$WORK/stream.sha256" &
  status_of stream restic dump "$(manifest .database.snapshot)" "$(manifest .database.path)" 2>"$WORK/restic.err" | tee "$WORK/stream.fifo"
  wait
}
stream_intact() { succeeded stream && [ "$(cat "$WORK/stream.sha256")" = "$(manifest .database.sha256)" ]; }

# stage_files TARGET: restores the files part under TARGET (restic verifies what it wrote) and
# checks the listing against the manifest; prints the restored root.
stage_files() {
  root="$(manifest .files.root)"; target="$1"
  rm -rf "$target"
  restic restore "$(manifest .files.snapshot)" --target "$1" --verify >/dev/null 2>"$WORK/restic.err" ||
    { rm -rf "$1"; die "refusing to restore: the files of backup $BACKUP_ID cannot be read intact from the repository (restic: $(restic_error))"; }
  staged="$1$root"
  [ -d "$staged" ] || { rm -rf "$1"; die "refusing to restore: the files of backup $BACKUP_ID do not hold $root"; }
  # shellcheck disable=SC2046 # three words without spaces
  set -- $(dir_stats "$staged")
  [ "$1 $3" = "$(manifest .files.count) $(manifest .files.sha256)" ] || {
    rm -rf "$target"
    die "refusing to restore: the files of backup $BACKUP_ID do not match its manifest ($1 files, listing $3; manifest $(manifest .files.count), $(manifest .files.sha256))"
  }
  printf '%s\n' "$staged"
}

# swap_files LIVE STAGED: the live folder's entries move aside, the staged ones move in (renames on
# one volume), then the old ones go.
swap_files() {
  live="$1"; staged="$2"; previous="$live/.previous-$BACKUP_ID"
  rm -rf "$previous"; mkdir "$previous"
  find "$live" -mindepth 1 -maxdepth 1 ! -name '.restore-*' ! -name '.previous-*' -exec mv {} "$previous/" \;
  find "$staged" -mindepth 1 -maxdepth 1 -exec mv {} "$live/" \;
  rm -rf "$previous"
}

# add_version NAME VALUE: a version the manifest records (the tools, the database server)
VERSIONS_JSON='{}'
add_version() {
  VERSIONS_JSON=$(printf '%s' "$VERSIONS_JSON" | jq -c --arg k "$1" --arg v "$2" '. + {($k): $v}')
}

# write_manifest ENGINE DB_SNAPSHOT DB_PATH DB_FORMAT [FILES_SNAPSHOT FILES_ROOT]: the manifest on stdout.
write_manifest() {
  files='null'
  if [ "$#" -ge 6 ]; then
    # shellcheck disable=SC2046 # three words without spaces
    set -- "$@" $(dir_stats "$6")
    files=$(jq -n --arg snapshot "$5" --arg root "$6" --argjson count "$7" --argjson bytes "$8" --arg sha256 "$9" \
      '{snapshot: $snapshot, root: $root, count: $count, bytes: $bytes, sha256: $sha256}')
  fi
  finished=$(date -u +%s)
  jq -n --arg engine "$1" --arg store "$STORE_ID" --arg backup "$BACKUP_ID" --arg plan "${BACKUP_PLAN:-}" \
    --arg time "$BACKUP_TIME" --argjson duration "$((finished - STARTED))" \
    --arg dbSnapshot "$2" --arg dbPath "$3" --arg dbFormat "$4" \
    --argjson dbBytes "$(cat "$WORK/database.bytes")" --arg dbSha "$(cat "$WORK/database.sha256")" \
    --argjson files "$files" --argjson versions "$VERSIONS_JSON" --argjson spec "${STORE_SPEC:-null}" \
    '{format: 1, engine: $engine, store: $store, backup: $backup, plan: $plan, spec: $spec, time: $time, durationSeconds: $duration,
      versions: $versions,
      database: {snapshot: $dbSnapshot, path: $dbPath, format: $dbFormat, bytes: $dbBytes, sha256: $dbSha},
      files: $files}'
}

# start_backup: the clock, the time every part carries and the opened (or new) repository
start_backup() {
  [ "$SOURCE_STORE_ID" = "$STORE_ID" ] ||
    die "SOURCE_STORE_ID is for restores only: a backup of store $STORE_ID writes into its own repository, not store $SOURCE_STORE_ID's"
  printf '%s' "${STORE_SPEC:-null}" | jq -e 'type == "object" or . == null' >/dev/null 2>&1 || die "STORE_SPEC must be a JSON object"
  STARTED=$(date -u +%s)
  BACKUP_TIME="${BACKUP_TIME:-$(date -u '+%Y-%m-%d %H:%M:%S')}"
  add_version restic "$(restic version | cut -d' ' -f2)"
  open_repository "$STORE_ID" create
  snapshots_json "$STORE_ID" "backup=$BACKUP_ID" > "$WORK/existing.json"
  if jq -e 'any(.[]; (.tags // []) | index("part=manifest"))' "$WORK/existing.json" >/dev/null; then
    die "store $STORE_ID already has a backup $BACKUP_ID"
  fi
  # what an earlier attempt at this backup left (a Job's retry after a failure it could not clean up)
  [ "$(jq length "$WORK/existing.json")" = 0 ] || { log "discarding the parts of an earlier attempt at backup $BACKUP_ID"; discard_backup; }
}

# finish_backup ENGINE DB_SNAPSHOT DB_PATH DB_FORMAT [FILES_SNAPSHOT FILES_ROOT]: the manifest as the
# last snapshot (the backup is complete from here on), then retention.
finish_backup() {
  write_manifest "$@" > "$WORK/manifest.json"
  manifest_id=$(backup_stream manifest manifest.json < "$WORK/manifest.json") || {
    discard_backup
    die "the manifest of backup $BACKUP_ID could not be written to the repository: $(restic_error)"
  }
  log "backup $BACKUP_ID complete: manifest snapshot $manifest_id"
  cat "$WORK/manifest.json"
  apply_retention
  # the result last: a backup whose retention failed is a failed run
  jq -c '{backup, durationSeconds, sizeBytes: (.database.bytes + (.files.bytes // 0)), databaseBytes: .database.bytes, files: (.files.count // 0)}' \
    "$WORK/manifest.json" | write_result
}

# begin_restore: the clock, the backup's manifest and a full read-back of its dump, before anything
# of the store is touched
begin_restore() {
  STARTED=$(date -u +%s)
  open_repository "$SOURCE_STORE_ID"
  find_backup
  if [ "$SOURCE_STORE_ID" = "$STORE_ID" ]; then
    log "restoring backup $BACKUP_ID of store $STORE_ID (taken $(manifest .time) UTC)"
  else
    log "restoring backup $BACKUP_ID of store $SOURCE_STORE_ID into store $STORE_ID (taken $(manifest .time) UTC)"
  fi
  verify_database
}

# finish_restore: the outcome as one JSON line
finish_restore() {
  jq -cn --arg backup "$BACKUP_ID" --argjson seconds "$(($(date -u +%s) - STARTED))" '{restored: $backup, durationSeconds: $seconds}' > "$WORK/result.json"
  cat "$WORK/result.json"
  write_result < "$WORK/result.json"
  log "backup $BACKUP_ID restored"
}

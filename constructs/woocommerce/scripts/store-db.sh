#!/bin/sh
# WooCommerce's half shared by backup.sh and restore.sh (sourced after restic-lib.sh): the store's
# database and wp-content from the environment, the client tools of MariaDB or MySQL, and an option
# file with the credentials, so the password never appears on a command line.
require DB_HOST DB_NAME DB_USER DB_PASSWORD WP_CONTENT_DIR
[ -d "$WP_CONTENT_DIR" ] || die "WP_CONTENT_DIR $WP_CONTENT_DIR is not a folder"
DB_PORT="${DB_PORT:-3306}"
if command -v mariadb-dump >/dev/null 2>&1; then DUMP=mariadb-dump; CLIENT=mariadb; else DUMP=mysqldump; CLIENT=mysql; fi
command -v "$DUMP" >/dev/null 2>&1 || die "neither mariadb-dump nor mysqldump is installed"

# option-file value: double-quoted, backslashes and quotes escaped
quoted() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }
MY_CNF="$WORK/client.cnf"
(
  umask 077
  printf '[client]\nhost=%s\nport=%s\nuser=%s\npassword=%s\n' "$(quoted "$DB_HOST")" "$DB_PORT" "$(quoted "$DB_USER")" "$(quoted "$DB_PASSWORD")" > "$MY_CNF"
)

# dump_database: a consistent dump of the store's database on stdout. --single-transaction: one InnoDB
# snapshot without locking the shop; --quick streams rows.
dump_database() {
  "$DUMP" --defaults-extra-file="$MY_CNF" --single-transaction --quick --skip-lock-tables \
    --hex-blob --no-tablespaces --default-character-set=utf8mb4 "$DB_NAME"
}

# replace_database: drops every table and view of the store's database (ones made after the dump too)
# and runs the SQL on stdin, in one client session, so the foreign-key switch holds for the whole import
replace_database() {
  drops="SELECT CONCAT('DROP ', IF(table_type = 'VIEW', 'VIEW', 'TABLE'), ' IF EXISTS \`', REPLACE(table_name, '\`', '\`\`'), '\`;')
    FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_type = 'VIEW' DESC"
  mariadb_sql "$drops" > "$WORK/drops.sql" || { cat > /dev/null; return 1; }
  { echo 'SET FOREIGN_KEY_CHECKS = 0;'; cat "$WORK/drops.sql" -; } | "$CLIENT" --defaults-extra-file="$MY_CNF" --batch "$DB_NAME"
}

# client_error FILE: the client's error message from its error output (the last line that is not one
# of the separators it prints around a failed statement)
client_error() { grep -v '^-*$' "$1" | tail -n 1; }

# mariadb_sql SQL: runs one statement in the store's database; tab-separated rows, no headers
mariadb_sql() {
  "$CLIENT" --defaults-extra-file="$MY_CNF" --batch --skip-column-names "$DB_NAME" -e "$1" 2>"$WORK/sql.err"
}

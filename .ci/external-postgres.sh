#!/usr/bin/env bash
# Starts a PostgreSQL cluster from Debian's packages the way deployments run one: password logins only
# (SCRAM-SHA-256, and md5 for one user), TLS with a certificate for "localhost" signed by a CA of its own, fsync on.
# The embedded Postgres the tests use by default logs in without a password and without TLS; this one is what hides
# no login or TLS bug. Prints the variables the tests read (eval its output). Needs root; idempotent.
#
#   eval "$(.ci/external-postgres.sh)"   # then ./mvnw -B verify also runs the storage suites against it
set -euo pipefail
port=${QUEEN_CI_PG_PORT:-5544}
dir=${QUEEN_CI_PG_DIR:-/tmp/queen-ci-postgres}
cluster=queenci

if ! command -v pg_createcluster >/dev/null 2>&1; then
  (apt-get update && apt-get install -y postgresql) >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)

rm -rf "$dir" && mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=queen-ci-ca" \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\n' > "$dir/san.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
  -extfile "$dir/san.ext" -out "$dir/server.crt" 2>/dev/null
chown postgres: "$dir/server.key" "$dir/server.crt"
chmod 600 "$dir/server.key"
chmod 755 "$dir"

pg_dropcluster --stop "$version" "$cluster" >/dev/null 2>&1 || true
pg_createcluster "$version" "$cluster" --port "$port" >/dev/null
conf=/etc/postgresql/$version/$cluster
cat >> "$conf/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
max_connections = 300
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
CONF
cat > "$conf/pg_hba.conf" <<HBA
local   all       postgres                peer
hostssl all       queen_md5  127.0.0.1/32 md5
host    all       queen      127.0.0.1/32 scram-sha-256
host    all       all        127.0.0.1/32 reject
HBA
pg_ctlcluster "$version" "$cluster" start
su postgres -c "psql -q -p $port" >/dev/null <<SQL
-- CREATEDB only for MigrationsTest, which migrates scratch databases; the server itself never creates one
CREATE USER queen CREATEDB PASSWORD 'queen-ci-secret';
CREATE DATABASE queen_test OWNER queen;
SET password_encryption = 'md5';
CREATE USER queen_md5 PASSWORD 'md5-ci-secret';
SQL

echo "export QUEEN_TEST_EXTERNAL_PG_URL='postgresql://queen:queen-ci-secret@localhost:$port/queen_test?sslmode=verify-full&sslrootcert=$dir/ca.crt'"
echo "export QUEEN_TEST_EXTERNAL_PG_MD5_URL='postgresql://queen_md5:md5-ci-secret@127.0.0.1:$port/queen_test?sslmode=require'"
echo "export QUEEN_TEST_EXTERNAL_PG_CA='$dir/ca.crt'"
echo "export QUEEN_TEST_EXTERNAL_PG_CLUSTER='$version $cluster'"

#!/bin/sh
# Installs the Debian packages the test suite needs, when they are missing.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v pg_dump >/dev/null 2>&1 || missing="$missing postgresql-client"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
else
  echo "Please install:$missing (browser tests, MPXJ checks and PostgreSQL backups need them)" >&2
  exit 1
fi

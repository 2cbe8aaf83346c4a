#!/bin/sh
# Installs the Debian packages the office and its test suite need, when they are missing.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v pg_dump >/dev/null 2>&1 || missing="$missing postgresql-client"
# CairoSVG (Gantt charts as PNG and PDF) loads libcairo; DejaVu is the font it draws with.
ldconfig -p 2>/dev/null | grep -q "libcairo.so.2" || missing="$missing libcairo2"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
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

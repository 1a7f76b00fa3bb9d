#!/bin/sh
# deps.sh - install what spnctl needs to build and test on Debian (run as root).
# One package list for the README, the test script and CI.
set -eu
PACKAGES="
  gcc clang libclang-rt-dev meson ninja-build pkg-config
  libldap2-dev libsasl2-dev libkrb5-dev libcmocka-dev libunistring-dev
  libsasl2-modules-gssapi-mit ldap-utils slapd
  samba samba-ad-dc winbind krb5-user ldb-tools libnss-wrapper samba-ad-provision libresolv-wrapper
  python3 time
  chromium bash-completion
  build-essential debhelper dpkg-dev lintian
"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES
# Debian's packages may start their own slapd or samba on the standard
# ports; the tests start private ones and need those ports free.
for svc in slapd samba-ad-dc smbd nmbd winbind; do
	if command -v service >/dev/null 2>&1; then
		service "$svc" stop >/dev/null 2>&1 || true
	fi
done

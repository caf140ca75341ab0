# Sourced by scripts/qemu_arm64.sh and scripts/wine.sh, which define die().
# shellcheck shell=bash

# The Debian mirror to debootstrap from: $DEBIAN_MIRROR, else the first Debian URI of this
# machine's apt sources (deb822 first: the URIs of the first stanza whose Suites has a plain
# release name; then sources.list).
mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local m=""
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
    /^URIs:/ { u = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+$/ && u != "") { print u; exit } }')
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++)
      if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || die "no Debian mirror in the apt sources; set DEBIAN_MIRROR"
  echo "$m"
}

# Tools the integration tests run besides the stack's servers. Sourced by
# stack.sh; a plain `up` (no part named) makes sure they are there.
# shellcheck shell=bash

# promtool lints each service's /metrics (`promtool check metrics`). It comes
# from Debian's `prometheus` package, but the package is not installed: its
# postinst would start a Prometheus server (init script or systemd unit) that
# nothing here needs. `apt-get download` fetches the .deb (no root needed
# once the package lists know it) and only usr/bin/promtool, a Go binary that
# needs nothing but libc, is unpacked into the stack folder.
PROMTOOL_DIR=$STACK_DIR/tools/bin

# promtool_path — where the tests will find promtool, in their order
# (libs/testkit/src/promtool.ts): VALUEPULSE_PROMTOOL, PATH, the stack folder.
promtool_path() {
  if [[ -n ${VALUEPULSE_PROMTOOL:-} ]]; then
    printf '%s' "$VALUEPULSE_PROMTOOL"
    return 0
  fi
  command -v promtool 2>/dev/null && return 0
  [[ -x $PROMTOOL_DIR/promtool ]] || return 1
  printf '%s' "$PROMTOOL_DIR/promtool"
}

promtool_version() { "$1" --version 2>&1 | sed -n '1s/^promtool, version \([^ ]*\).*/\1/p'; }

promtool_up() {
  local bin
  if [[ -n ${VALUEPULSE_PROMTOOL:-} && ! -x $VALUEPULSE_PROMTOOL ]]; then
    fail promtool "VALUEPULSE_PROMTOOL=$VALUEPULSE_PROMTOOL is not an executable file" "point it at a promtool binary, or unset it"
  fi
  if bin=$(promtool_path); then
    say "promtool: $bin ($(promtool_version "$bin"))"
    return 0
  fi
  local tool
  for tool in apt-get apt-cache dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || fail promtool "promtool is missing and $tool is not available to fetch it from Debian's prometheus package" \
      "put a promtool (Prometheus 2.x or later) on PATH, or name it in VALUEPULSE_PROMTOOL"
  done
  mkdir -p "$STACK_DIR/logs"
  local log="$STACK_DIR/logs/apt-promtool.log" tmp
  # only a fresh machine's `apt-get update` needs root; the download does not
  if [[ -z $(apt-cache policy prometheus 2>/dev/null | awk '/Candidate:/ { print $2 }' | grep -v '(none)') ]]; then
    local sudo=""
    if ((EUID != 0)); then
      command -v sudo >/dev/null 2>&1 || fail promtool "the package lists do not know Debian's prometheus package (for its promtool) and this user is not root (no sudo)" \
        "run 'apt-get update' as root and 'stack up' again, or put a promtool on PATH"
      sudo="sudo -n"
    fi
    $sudo apt-get update >"$log" 2>&1 || fail promtool "apt-get update failed (see $log)" "check access to the Debian package archive, or put a promtool on PATH"
  fi
  note "promtool: fetching Debian's prometheus package for its promtool (not installed: no server is started) ..."
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/valuepulse-promtool.XXXXXX")
  # the download runs as this user in a folder it owns; apt's _apt sandbox user may not write there, which apt only warns about
  if ! (cd "$tmp" && apt-get download prometheus) >>"$log" 2>&1; then
    rm -rf "$tmp"
    fail promtool "apt-get download prometheus failed (see $log)" "check access to the Debian package archive, or put a promtool on PATH"
  fi
  if ! dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -x -C "$tmp" ./usr/bin/promtool 2>>"$log"; then
    rm -rf "$tmp"
    fail promtool "the prometheus package holds no usr/bin/promtool (see $log)" "put a promtool (Prometheus 2.x or later) on PATH, or name it in VALUEPULSE_PROMTOOL"
  fi
  mkdir -p "$PROMTOOL_DIR"
  mv "$tmp/usr/bin/promtool" "$PROMTOOL_DIR/promtool"
  rm -rf "$tmp"
  bin=$PROMTOOL_DIR/promtool
  "$bin" --version >/dev/null 2>&1 || fail promtool "$bin does not run (see '$bin --version')" "delete it and run 'stack up' again, or put a promtool on PATH"
  say "promtool: $bin ($(promtool_version "$bin"))"
}

# chromium drives the dashboard's browser test (services/health-api,
# puppeteer-core, which never downloads a browser of its own). Debian's
# package; VALUEPULSE_CHROMIUM names another binary.
chromium_path() {
  if [[ -n ${VALUEPULSE_CHROMIUM:-} ]]; then
    printf '%s' "$VALUEPULSE_CHROMIUM"
    return 0
  fi
  command -v chromium 2>/dev/null
}

chromium_up() {
  local bin
  if ! bin=$(chromium_path); then
    apt_install chromium chromium
    bin=$(chromium_path) || fail chromium "chromium is still missing after apt-get install" "install Debian's chromium package by hand, or name a binary in VALUEPULSE_CHROMIUM"
  fi
  say "chromium: $bin ($("$bin" --version 2>/dev/null | head -n 1))"
}

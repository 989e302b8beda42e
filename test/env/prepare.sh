#!/usr/bin/env bash
# Prepares this machine for the integration and end-to-end tests: a running
# Docker engine (Debian's docker.io, started by hand where there is no
# systemd), Debian's Chromium, and the local test images (Consul, nginx, simple-web, HAProxy built from Debian
# packages, since no image registry may be reachable). Idempotent and quick
# when everything is already there. Under CI=true a missing piece is an
# error, never a skip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${DT_TEST_STATE:-/tmp/discovery-tray-test}
mkdir -p "$state"

log() { printf '[prepare] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq >&2; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# --- Docker engine ---------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    command -v apt-get >/dev/null || { log "no Docker engine and no apt-get: install Docker, then run again"; exit 1; }
    log "installing Debian's docker.io"
    apt_install docker.io
  fi
  if ! docker info >/dev/null 2>&1; then
    log "starting dockerd"
    as_root sh -c "nohup dockerd >'$state/dockerd.log' 2>&1 & echo \$! > '$state/dockerd.pid'"
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { log "dockerd did not come up; see $state/dockerd.log"; tail -20 "$state/dockerd.log" >&2; exit 1; }
  fi
fi
log "Docker engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

# --- Chromium for the dashboard's end-to-end tests (never a downloaded browser) ---
chromium=${DT_TEST_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  command -v apt-get >/dev/null || { log "no $chromium and no apt-get: install Chromium, or set DT_TEST_CHROMIUM"; exit 1; }
  log "installing Debian's chromium"
  apt_install chromium
fi
log "$("$chromium" --version 2>/dev/null || echo "chromium at $chromium")"
# A CJK font, so that the Chinese run of the dashboard's end-to-end test draws characters, not
# boxes (Debian's Chromium brings none). WenQuanYi Micro Hei: a 1.6 MB package.
if [ -z "$(fc-list :lang=zh 2>/dev/null || true)" ]; then
  command -v apt-get >/dev/null || { log "no CJK font and no apt-get: install one (fonts-wqy-microhei)"; exit 1; }
  log "installing a CJK font (fonts-wqy-microhei)"
  apt_install fonts-wqy-microhei
fi

# --- openssl: the Docker-over-TLS test makes its own certificates ---------------
if ! command -v openssl >/dev/null 2>&1; then
  command -v apt-get >/dev/null || { log "no openssl and no apt-get: install openssl"; exit 1; }
  log "installing Debian's openssl"
  apt_install openssl
fi

# --- tools the image recipes use -------------------------------------------
for tool in dpkg-deb ldd tar; do command -v "$tool" >/dev/null || { log "missing $tool"; exit 1; }; done

# --- local test images (Consul 1.8.7 from Debian 11, nginx, simple-web, HAProxy) ---
bash "$here/../images/build-local-images.sh"

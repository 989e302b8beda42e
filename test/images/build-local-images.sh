#!/usr/bin/env bash
# Builds the images the tests use, from Debian packages only (no image
# registry is reachable on CI machines): a busybox base, a Python base,
# simple-web on the latter (the app's own recipe in assets/simple-web), nginx,
# consul and haproxy.
# Idempotent: an image whose recipe hash label matches is kept as it is.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${DT_TEST_CACHE:-/var/cache/discovery-tray-test}
prefix=${DT_TEST_IMAGE_PREFIX:-discovery-tray-test}
mkdir -p "$cache/debs"

log() { printf '[images] %s\n' "$*" >&2; }

# Downloads a Debian package (of this release, or of bullseye for consul,
# which Debian 12 no longer ships) into the cache, once.
fetch_deb() { # name [bullseye]
  local name=$1 suite=${2:-}
  if compgen -G "$cache/debs/${name}_*.deb" >/dev/null; then return; fi
  if [ "$suite" = bullseye ]; then
    local apt="$cache/bullseye-apt" mirror
    mkdir -p "$apt/lists/partial"
    mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
    echo "deb $mirror bullseye main" > "$apt/sources.list"
    local o=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$apt/lists")
    [ -e "$apt/lists/.updated" ] || { apt-get "${o[@]}" update >&2 && touch "$apt/lists/.updated"; }
    (cd "$cache/debs" && apt-get "${o[@]}" download "$name" >&2)
  else
    (cd "$cache/debs" && apt-get download "$name" >&2) || { apt-get update >&2; (cd "$cache/debs" && apt-get download "$name" >&2); }
  fi
}

extract() { # name -> prints the folder it was unpacked into
  local dir="$cache/root-$1"
  [ -d "$dir" ] || { mkdir -p "$dir.tmp" && dpkg -x "$cache"/debs/"$1"_*.deb "$dir.tmp" && mv "$dir.tmp" "$dir"; }
  echo "$dir"
}

# Copies a binary and every shared library `ldd` names into a root tree.
copy_with_libs() { # binary rootfs
  local bin=$1 rootfs=$2 lib dest
  while read -r lib; do
    [ -n "$lib" ] || continue
    # A library unpacked from a .deb in the cache goes where the package puts it.
    dest=$(printf '%s' "$lib" | sed "s|^$cache/root-[^/]*||")
    mkdir -p "$rootfs$(dirname "$dest")"
    cp -L "$lib" "$rootfs$dest"
  done < <(ldd "$bin" | awk '/not found/{print "MISSING " $1; next} /=>/{print $3; next} /^[ \t]*\//{print $1}' |
    while read -r a b; do if [ "$a" = MISSING ]; then echo "missing library $b for $bin" >&2; exit 1; fi; echo "$a"; done)
}

busybox_root() { # rootfs
  local rootfs=$1 bb
  bb=$(extract busybox-static)/bin/busybox
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,www,var/log,run}
  chmod 1777 "$rootfs/tmp"
  cp "$bb" "$rootfs/bin/busybox"
  local applet
  for applet in $("$bb" --list-full); do
    [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
}

image_hash() { docker image inspect -f '{{index .Config.Labels "org.discovery-tray.recipe"}}' "$1" 2>/dev/null || true; }

# import_image name hash rootfs [docker import -c changes...]
import_image() {
  local name=$1 hash=$2 rootfs=$3; shift 3
  local changes=(-c "LABEL org.discovery-tray.recipe=$hash")
  local c; for c in "$@"; do changes+=(-c "$c"); done
  tar -C "$rootfs" -c . | docker import "${changes[@]}" - "$name" >/dev/null
  log "built $name"
}

recipe_hash() { cat "$0" "$@" 2>/dev/null | sha256sum | cut -c1-16; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for pkg in busybox-static nginx nginx-common haproxy liblua5.3-0 libopentracing-c-wrapper0 libopentracing1 \
  python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libexpat1 zlib1g; do fetch_deb "$pkg"; done
fetch_deb consul bullseye

# --- base: busybox from Debian ---------------------------------------------
base="$prefix/busybox:latest"
h=$(recipe_hash)
if [ "$(image_hash "$base")" != "$h" ]; then
  busybox_root "$work/base"
  import_image "$base" "$h" "$work/base" 'CMD ["/bin/sh"]'
fi

# --- python: Debian's Python 3.11 on the busybox base (simple-web's base) ---
python="$prefix/python:latest"
h=$(recipe_hash)
if [ "$(image_hash "$python")" != "$h" ]; then
  r="$work/python"; busybox_root "$r"
  mkdir -p "$r/usr/bin" "$r/usr/lib"
  cp "$(extract python3.11-minimal)/usr/bin/python3.11" "$r/usr/bin/python3.11"
  ln -s python3.11 "$r/usr/bin/python3"
  for p in libpython3.11-minimal libpython3.11-stdlib; do cp -a "$(extract "$p")/usr/lib/python3.11" "$r/usr/lib/"; done
  # What a web server never imports, and would only make the image bigger.
  rm -rf "$r"/usr/lib/python3.11/{test,idlelib,tkinter,turtledemo,ensurepip,lib2to3,pydoc_data,config-3.11-*}
  libs="$(extract libexpat1)/usr/lib/x86_64-linux-gnu:$(extract zlib1g)/usr/lib/x86_64-linux-gnu"
  LD_LIBRARY_PATH=$libs copy_with_libs "$r/usr/bin/python3.11" "$r"
  # Extension modules whose libraries are not on this machine are left out
  # (ssl, sqlite, ...): Python imports them only when asked, and simple-web never asks.
  for so in "$r"/usr/lib/python3.11/lib-dynload/*.so; do
    if LD_LIBRARY_PATH=$libs ldd "$so" | grep -q 'not found'; then rm "$so"; else LD_LIBRARY_PATH=$libs copy_with_libs "$so" "$r"; fi
  done
  import_image "$prefix/python-raw:build" "$h" "$r" 'CMD ["python3"]'
  # Compiled once here, so that a container does not compile the standard
  # library on every start (Debian compiles it at install time instead).
  printf 'FROM %s\nRUN python3 -m compileall -q -j 0 /usr/lib/python3.11 && python3 -c "import http.server, urllib.parse"\n' "$prefix/python-raw:build" |
    DOCKER_BUILDKIT=0 docker build -q --label "org.discovery-tray.recipe=$h" -t "$python" - >/dev/null
  docker rmi -f "$prefix/python-raw:build" >/dev/null
  log "built $python"
fi

# --- simple-web: the app's own recipe on the Python base ----------------------
web="$prefix/simple-web:latest"
h=$(recipe_hash "$repo"/assets/simple-web/*)
if [ "$(image_hash "$web")" != "$h" ]; then
  DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$python" --label "org.discovery-tray.recipe=$h" \
    -t "$web" "$repo/assets/simple-web" >/dev/null
  log "built $web"
fi

# --- nginx --------------------------------------------------------------------
nginx="$prefix/nginx:latest"
h=$(recipe_hash)
if [ "$(image_hash "$nginx")" != "$h" ]; then
  r="$work/nginx"; busybox_root "$r"
  ng=$(extract nginx); ngc=$(extract nginx-common)
  mkdir -p "$r/usr/sbin" "$r/etc/nginx/conf.d" "$r/var/lib/nginx" "$r/var/log/nginx"
  cp "$ng/usr/sbin/nginx" "$r/usr/sbin/nginx"
  copy_with_libs "$ng/usr/sbin/nginx" "$r"
  cp "$ngc/etc/nginx/mime.types" "$r/etc/nginx/mime.types"
  cat > "$r/etc/nginx/nginx.conf" <<'CONF'
worker_processes auto;
error_log /dev/stderr;
events { worker_connections 1024; }
http {
  include mime.types;
  access_log /dev/stdout;
  include /etc/nginx/conf.d/*.conf;
}
CONF
  printf 'server { listen 80 default_server; location / { return 200 "nginx\\n"; } }\n' > "$r/etc/nginx/conf.d/default.conf"
  import_image "$nginx" "$h" "$r" 'EXPOSE 80' 'CMD ["nginx", "-g", "daemon off;"]'
fi

# --- consul (1.8.7, Debian 11) ------------------------------------------------
consul="$prefix/consul:latest"
h=$(recipe_hash)
if [ "$(image_hash "$consul")" != "$h" ]; then
  r="$work/consul"; busybox_root "$r"
  cb=$(extract consul)/usr/bin/consul
  mkdir -p "$r/usr/bin" "$r/consul/data"
  cp "$cb" "$r/usr/bin/consul"
  copy_with_libs "$cb" "$r"
  import_image "$consul" "$h" "$r" 'EXPOSE 8500 8600/udp' 'ENTRYPOINT ["consul"]' 'CMD ["agent", "-dev", "-client", "0.0.0.0"]'
fi

# --- haproxy (the benchmark's peer) ------------------------------------------
haproxy="$prefix/haproxy:latest"
h=$(recipe_hash)
if [ "$(image_hash "$haproxy")" != "$h" ]; then
  r="$work/haproxy"; busybox_root "$r"
  hp=$(extract haproxy)
  mkdir -p "$r/usr/sbin" "$r/usr/local/etc/haproxy" "$r/run/haproxy"
  cp "$hp/usr/sbin/haproxy" "$r/usr/sbin/haproxy"
  # Libraries Debian 12 does not install by default come from their packages.
  extra=""
  for p in liblua5.3-0 libopentracing-c-wrapper0 libopentracing1; do extra="$extra:$(extract "$p")/usr/lib/x86_64-linux-gnu"; done
  LD_LIBRARY_PATH="${extra#:}" copy_with_libs "$hp/usr/sbin/haproxy" "$r"
  import_image "$haproxy" "$h" "$r" 'EXPOSE 80' 'CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]'
fi

log "ready: $base $python $web $nginx $consul $haproxy"

#!/bin/sh
# Entry point of simple-web: remember our own address, then serve.
set -eu
mkdir -p /tmp/simple-web
# Docker writes our address into /etc/hosts; `hostname -i` resolves it.
hostname -i 2>/dev/null | awk '{print $1}' > /tmp/simple-web/ip
: > /tmp/simple-web/hits
chmod 0755 /www/cgi-bin/index.cgi
# httpd hands its stderr to CGI scripts; sending it to stdout lets index.cgi
# write its per-request line to the container's stdout (docker logs).
httpd -f -p "${PORT:-80}" -h /www 2>&1 &
server=$!
# As PID 1, httpd would ignore SIGTERM and `docker stop` would wait its whole
# timeout; this shell forwards the signal so that a stop takes milliseconds.
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit 0' TERM INT
wait "$server"

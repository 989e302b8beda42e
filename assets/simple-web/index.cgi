#!/bin/sh
# One request: optional bounded delay (?delay=MS), the classic page line,
# and the same line on the container's stdout (stderr of this script).
max_delay_ms=10000
delay_ms=0
case "${QUERY_STRING:-}" in
  *delay=*)
    delay_ms=${QUERY_STRING##*delay=}
    delay_ms=${delay_ms%%&*}
    case "$delay_ms" in ''|*[!0-9]*) delay_ms=0 ;; esac
    [ "$delay_ms" -gt "$max_delay_ms" ] && delay_ms=$max_delay_ms
    ;;
esac
# Read and drop a POST body so the client never sees a reset.
if [ "${REQUEST_METHOD:-GET}" = "POST" ] && [ "${CONTENT_LENGTH:-0}" -gt 0 ] 2>/dev/null; then
  head -c "$CONTENT_LENGTH" >/dev/null
fi
[ "$delay_ms" -gt 0 ] && usleep $((delay_ms * 1000))
# O_APPEND writes are atomic, so the line count is a lock-free request counter.
echo >> /tmp/simple-web/hits
count=$(wc -l < /tmp/simple-web/hits)
# Builtins wherever they do: every fork costs a few ms on a busy machine.
read -r own_ip < /tmp/simple-web/ip
# busybox httpd listens on IPv6 and reports IPv4 clients as [::ffff:a.b.c.d].
client=${REMOTE_ADDR:-unknown}
client=${client#[::ffff:}
client=${client%]}
now=$(date '+%Y-%m-%d %H:%M:%S')
echo "$now: $count requests from <LOCAL: $client> to WebServer <$own_ip>" >&2
printf 'Content-Type: text/html\r\nX-Served-By: %s\r\n\r\n' "$own_ip"
printf '<!DOCTYPE html><html><body><h3>%s: %s requests from &lt;LOCAL: %s&gt; to WebServer &lt;%s&gt;</h3></body></html>\n' \
  "$now" "$count" "$client" "$own_ip"

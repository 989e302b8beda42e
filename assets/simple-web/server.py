"""simple-web: the classic demo's web backend.

Every request (GET, HEAD, POST, any path) gets the classic page line
    <YYYY-mm-dd HH:MM:SS>: <count> requests from <LOCAL: client-ip> to WebServer <own-ip>
and the same line on stdout (docker logs), which is what the hits pipeline reads.
`?delay=MS` (at most 10 s) holds the answer, so that draining can be tested.

One process with a thread per connection: a fork per request (busybox httpd
and a CGI script) capped the whole demo at ~70 requests/s on two cores.
HTTP/1.1 by hand on a socket, not http.server: importing http.server (and
through it ssl and email) takes ~80 ms, and a new container is routed to
within ~150 ms of its start. Standard library only, any Python 3 base image.
"""

import os
import _socket


def listen_now():
    """A listening socket from the C module (importing `socket` takes ~12 ms more)."""
    raw = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    raw.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
    raw.bind(("0.0.0.0", int(os.environ.get("PORT", "80"))))
    raw.listen(128)
    return raw.detach()


# Listen before anything else (and `python3 -S`: no site packages to scan). The
# registrator registers a container the moment it starts and nginx may route to
# it ~100 ms later; a port that is not open yet refuses, and the classic
# template's max_fails=3 fail_timeout=60 then takes the new backend out for a
# minute. An open socket only queues.
LISTENER_FD = listen_now()

import socket  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

MAX_DELAY_MS = 10_000
MAX_BODY_BYTES = 1 << 20
MAX_LINE_BYTES = 8192
MAX_HEADERS = 100
IDLE_TIMEOUT_S = 60
LISTENER = socket.socket(fileno=LISTENER_FD)


def own_address():
    """The container's address, as `hostname -i` gives it (Docker writes it into /etc/hosts)."""
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "unknown"


OWN_IP = own_address()
lock = threading.Lock()
request_count = 0
in_flight = 0


def next_count():
    global request_count
    with lock:
        request_count += 1
        return request_count


def track(delta):
    global in_flight
    with lock:
        in_flight += delta
        return in_flight


class BadRequest(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def requested_delay_ms(target):
    query = target.partition("?")[2]
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name == "delay":
            return min(int(value), MAX_DELAY_MS) if value.isdigit() else 0
    return 0


def read_line(reader):
    line = reader.readline(MAX_LINE_BYTES + 1)
    if len(line) > MAX_LINE_BYTES:
        raise BadRequest(431, "Request Header Fields Too Large")
    return line


def read_headers(reader):
    headers = {}
    while True:
        line = read_line(reader)
        if line in (b"\r\n", b"\n", b""):
            return headers
        if len(headers) >= MAX_HEADERS:
            raise BadRequest(431, "Request Header Fields Too Large")
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon:
            raise BadRequest(400, "Bad Request")
        headers[name.strip().lower()] = value.strip()


def drop_body(reader, headers):
    """Reads and drops the body (with a length or chunked), so that the client never sees a reset."""
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            total = 0
            while True:
                size = int(read_line(reader).split(b";")[0].strip(), 16)
                total += size
                if total > MAX_BODY_BYTES:
                    raise BadRequest(413, "Content Too Large")
                if size == 0:
                    while read_line(reader).strip():  # trailers, up to the empty line
                        pass
                    return
                reader.read(size + 2)
        length = int(headers.get("content-length") or 0)
    except ValueError:
        raise BadRequest(400, "Bad Request") from None
    if length < 0:
        raise BadRequest(400, "Bad Request")
    if length > MAX_BODY_BYTES:
        raise BadRequest(413, "Content Too Large")
    if length:
        reader.read(length)


def send(conn, status, reason, body, extra_headers, keep_alive, with_body=True):
    head = [f"HTTP/1.1 {status} {reason}", "Server: simple-web", f"Content-Length: {len(body)}"]
    head += extra_headers
    # Said out loud, so that a keep-alive client does not reuse a socket we close.
    head.append("Connection: keep-alive" if keep_alive else "Connection: close")
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body if with_body else b""))


def answer(conn, client, method, target, keep_alive):
    delay_ms = requested_delay_ms(target)
    if delay_ms:
        time.sleep(delay_ms / 1000)
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    line = f"{now}: {next_count()} requests from <LOCAL: {client}> to WebServer <{OWN_IP}>"
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    page = line.replace("<", "&lt;").replace(">", "&gt;")
    body = f"<!DOCTYPE html><html><body><h3>{page}</h3></body></html>\n".encode()
    headers = ["Content-Type: text/html", f"X-Served-By: {OWN_IP}"]
    send(conn, 200, "OK", body, headers, keep_alive, with_body=method != "HEAD")


def serve_connection(conn, address):
    client = address[0].removeprefix("::ffff:")
    conn.settimeout(IDLE_TIMEOUT_S)
    reader = conn.makefile("rb")
    try:
        while True:
            request_line = reader.readline(MAX_LINE_BYTES + 1)
            if not request_line:
                return
            if request_line in (b"\r\n", b"\n"):
                continue  # a stray line break between requests
            track(+1)
            try:
                keep_alive = False
                try:
                    parts = request_line.decode("latin-1").split()
                    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
                        raise BadRequest(400, "Bad Request")
                    method, target, version = parts
                    headers = read_headers(reader)
                    connection = headers.get("connection", "").lower()
                    keep_alive = "close" not in connection and (version == "HTTP/1.1" or "keep-alive" in connection)
                    if method not in ("GET", "HEAD", "POST"):
                        drop_body(reader, headers)
                        send(conn, 405, "Method Not Allowed", b"", ["Allow: GET, HEAD, POST"], keep_alive)
                    else:
                        drop_body(reader, headers)
                        answer(conn, client, method, target, keep_alive)
                except BadRequest as error:
                    keep_alive = False
                    send(conn, error.status, error.reason, b"", [], False)
            finally:
                track(-1)
            if not keep_alive:
                return
    except OSError:
        return  # the client went away, or stayed idle past the timeout
    finally:
        reader.close()
        conn.close()


def accept_forever():
    while True:
        try:
            conn, address = LISTENER.accept()
        except OSError:
            return  # the listener was shut down: stopping
        threading.Thread(target=serve_connection, args=(conn, address), daemon=True).start()


def main():
    stopping = threading.Event()
    # As PID 1 the process would ignore SIGTERM and `docker stop` would wait its
    # whole timeout; stop instead, once the requests in flight are answered.
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    threading.Thread(target=accept_forever, daemon=True).start()
    while not stopping.wait(1):
        pass
    LISTENER.shutdown(socket.SHUT_RDWR)
    LISTENER.close()
    deadline = time.monotonic() + MAX_DELAY_MS / 1000 + 1
    while track(0) > 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()

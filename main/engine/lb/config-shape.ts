/**
 * When may a config skip `nginx -t`? A scale changes the rendered config only in an upstream's
 * `server IP:port …;` lines: one more, one fewer, another address. nginx checks such a line for
 * its syntax, a valid address and port, and a parameter list it knows; the rest of the config is
 * what it was. So a config whose shape (every such line with its address blanked, and a run of
 * identical blanked lines counted as one) is the shape of a config nginx has already passed,
 * and whose addresses are all valid IPv4 addresses with valid ports, passes the check too. The
 * check is ~50 ms of the ~170 ms a new backend waits for its first request on a 2-core machine.
 *
 * Everything else (a host name, an IPv6 address, a new parameter, a comment on the line, any
 * other line) makes the shape differ, and that config is checked as before.
 */

/** `server 172.18.0.5:80 max_fails=3 fail_timeout=60 weight=1;` with nothing after the `;`. */
const SERVER_LINE =
  /^(\s*server\s+)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})((?:\s+[a-z_]+=[A-Za-z0-9.]+)*\s*;\s*)$/;

/** What stands in for an address in a shape. */
const ADDRESS = '<address>';

/**
 * The config with each plain IPv4 `server` line's address blanked and consecutive identical lines
 * kept once; undefined when one of those addresses is not one nginx would accept (an octet over
 * 255, port 0 or over 65535): that config must be checked.
 */
export function configShape(config: string): string | undefined {
  const shape: string[] = [];
  let previousServer: string | undefined;
  for (const line of config.split('\n')) {
    const match = SERVER_LINE.exec(line);
    if (!match) {
      shape.push(line);
      previousServer = undefined;
      continue;
    }
    const [, head, a, b, c, d, port, tail] = match;
    if (![a, b, c, d].every((octet) => Number(octet) <= 255)) return undefined;
    const portNumber = Number(port);
    if (portNumber < 1 || portNumber > 65535) return undefined;
    const blanked = `${head}${ADDRESS}${tail}`;
    // One backend or ten: the same shape (an upstream never gets to zero servers this way: a run
    // of one is the least, and a config without the run has another shape).
    if (blanked === previousServer) continue;
    shape.push(blanked);
    previousServer = blanked;
  }
  return shape.join('\n');
}

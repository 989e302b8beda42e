/**
 * Whether a port the stack publishes is free on 127.0.0.1, and when it is not, the next free one
 * (a bounded search upwards), so that every front end can offer it: the dashboard and the tray in
 * one click, the CLI as the flag to pass.
 */
import { createServer } from 'node:net';
import type { PortOffer, PortSetting } from '../../../contract/index.js';
import { UserError } from '../errors.js';

/** How many ports above a taken one are tried before giving up on an offer. */
export const FREE_PORT_SEARCH = 100;

const FLAGS: Record<PortSetting, string> = { lbPort: '--lb-port', consulPort: '--consul-port' };

/** A port that is taken, with the next free one when the search found one. */
export class PortInUseError extends UserError {
  override name = 'PortInUseError';
  constructor(
    message: string,
    readonly offer: PortOffer,
  ) {
    super(message, 'port-in-use');
  }
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port after `port` on 127.0.0.1, trying at most FREE_PORT_SEARCH of them. */
export async function nextFreePort(port: number, tries = FREE_PORT_SEARCH): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(65535, port + tries); candidate++)
    if (await isPortFree(candidate)) return candidate;
  return undefined;
}

/** The error for a taken port: names the next free one, the setting and the flag that change it. */
export async function portInUse(setting: PortSetting, port: number, what: string): Promise<PortInUseError> {
  const freePort = await nextFreePort(port);
  const flag = FLAGS[setting];
  const advice =
    freePort !== undefined
      ? `Port ${freePort} is free: take it in Settings (or start with ${flag} ${freePort}).`
      : `No port from ${port + 1} to ${Math.min(65535, port + FREE_PORT_SEARCH)} is free either: choose another in Settings (or with ${flag} <port>).`;
  return new PortInUseError(
    `Port ${port} on 127.0.0.1 is already in use, so the ${what} cannot be published there. ${advice}`,
    { setting, port, ...(freePort !== undefined ? { freePort } : {}) },
  );
}

/** Fails with a PortInUseError when 127.0.0.1:port is taken. */
export async function assertPortFree(setting: PortSetting, port: number, what: string): Promise<void> {
  if (!(await isPortFree(port))) throw await portInUse(setting, port, what);
}

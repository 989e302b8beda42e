import { createServer } from 'node:net';
import { UserError } from '../errors.js';

/** Fails with a message naming the port and the flag to change it when 127.0.0.1:port is taken. */
export async function assertPortFree(port: number, flag: string, what: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new UserError(
      `Port ${port} on 127.0.0.1 is already in use, so the ${what} cannot be published there. Choose another with ${flag} <port>.`,
      'port-in-use',
    );
  }
}

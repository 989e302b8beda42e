/**
 * The real Docker engine's unix socket offered on 127.0.0.1:<port>, in the
 * clear or behind TLS with client certificates (as `dockerd --tlsverify`
 * does): a tcp:// DOCKER_HOST for the endpoint search to reach, on the test's
 * own loopback.
 */
import { createConnection, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { engineSocketPath } from './docker-socket-proxy.js';
import { TestCertificates } from './test-certificates.js';

export { TestCertificates };

export class TcpDockerProxy {
  port = 0;
  connections = 0;
  private readonly server: Server;
  private readonly open = new Set<Socket>();

  constructor(
    tls?: TestCertificates,
    private readonly target = engineSocketPath(),
  ) {
    const accept = (client: Socket): void => this.accept(client);
    this.server = tls
      ? createTlsServer(
          {
            key: tls.read('server-key.pem'),
            cert: tls.read('server-cert.pem'),
            ca: tls.read('ca.pem'),
            requestCert: true,
            rejectUnauthorized: true,
          },
          accept,
        )
      : createTcpServer(accept);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections += 1;
    const upstream = createConnection(this.target);
    for (const socket of [client, upstream]) {
      this.open.add(socket);
      socket
        .on('error', () => undefined)
        .on('close', () => {
          client.destroy();
          upstream.destroy();
          this.open.delete(socket);
        });
    }
    client.pipe(upstream).pipe(client);
  }
}

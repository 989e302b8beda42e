/**
 * The real Docker engine's unix socket offered on 127.0.0.1:<port>, in the
 * clear or behind TLS with client certificates (as `dockerd --tlsverify`
 * does): a tcp:// DOCKER_HOST for the endpoint search to reach, on the test's
 * own loopback.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { engineSocketPath } from './docker-socket-proxy.js';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
export class TestCertificates {
  readonly dir = mkdtempSync(join(tmpdir(), 'dt-certs-'));
  /** What DOCKER_CERT_PATH points at: ca.pem, cert.pem, key.pem (the client's). */
  readonly clientDir = join(this.dir, 'client');

  constructor() {
    const run = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
    };
    writeFileSync(join(this.dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    writeFileSync(join(this.dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=dt test CA',
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
    );
    for (const who of ['server', 'client']) {
      run(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        `/CN=${who}`,
        '-keyout',
        `${who}-key.pem`,
        '-out',
        `${who}.csr`,
      );
      run(
        'x509',
        '-req',
        '-in',
        `${who}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca-key.pem',
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        `${who}.ext`,
        '-out',
        `${who}-cert.pem`,
      );
    }
    mkdirSync(this.clientDir);
    writeFileSync(join(this.clientDir, 'ca.pem'), this.read('ca.pem'));
    writeFileSync(join(this.clientDir, 'cert.pem'), this.read('client-cert.pem'));
    writeFileSync(join(this.clientDir, 'key.pem'), this.read('client-key.pem'));
  }

  read(name: string): Buffer {
    return readFileSync(join(this.dir, name));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

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

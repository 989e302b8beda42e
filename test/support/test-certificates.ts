/**
 * Certificates made by a test with openssl (no fixed files to expire): shared by the Docker-over-TLS
 * test (server and client) and the https Consul test (server only).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

  path(name: string): string {
    return join(this.dir, name);
  }
}

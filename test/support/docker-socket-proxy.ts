/**
 * A unix-socket proxy in front of the real Docker engine, for faults a real
 * engine cannot be asked to produce: `cut()` drops every open connection (as
 * a broken network does), `pause()` refuses new ones until `resume()`.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class DockerSocketProxy {
  readonly socketPath: string;
  private readonly dir: string;
  private readonly server: Server;
  private readonly open = new Set<Socket>();
  private paused = false;

  constructor(private readonly target = defaultDockerSocket()) {
    this.dir = mkdtempSync(join(tmpdir(), 'dt-docker-proxy-'));
    this.socketPath = join(this.dir, 'docker.sock');
    this.server = createServer((client) => this.accept(client));
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.socketPath, resolve));
  }

  cut(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  pause(): void {
    this.paused = true;
    this.cut();
  }

  resume(): void {
    this.paused = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private accept(client: Socket): void {
    if (this.paused) {
      client.destroy();
      return;
    }
    const upstream = createConnection(this.target);
    this.open.add(client);
    this.open.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      this.open.delete(client);
      this.open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  }
}

/** The engine the tests use: DOCKER_HOST when it names a unix socket, else the default socket. */
function defaultDockerSocket(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

/**
 * A unix-socket proxy in front of the real Docker engine, for faults a real
 * engine cannot be asked to produce: `cut()` drops every open connection (as
 * a broken network does), `pause()` refuses new ones until `resume()`, and
 * `lagMs` hands Docker's answers on that late (as a loaded machine does with a
 * busy log stream). Also a second way to the same engine, for the endpoint
 * search (`connections` counts who came through).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The unix socket of the engine the tests use: DOCKER_HOST's when it is one, else the default. */
export function engineSocketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  if (host) throw new Error(`The tests need DOCKER_HOST to be a unix socket, not ${host}`);
  return '/var/run/docker.sock';
}

export class DockerSocketProxy {
  readonly socketPath: string;
  /** How many clients connected so far. */
  connections = 0;
  private readonly dir: string;
  private readonly server: Server;
  private readonly open = new Set<Socket>();
  private paused = false;

  constructor(
    private readonly target = engineSocketPath(),
    /** Where to listen; default a fresh temporary folder's docker.sock (removed on close). */
    socketPath?: string,
    /** Each chunk Docker sends is handed on this late (the same delay for all: the order is kept). */
    private readonly lagMs = 0,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'dt-docker-proxy-'));
    this.socketPath = socketPath ?? join(this.dir, 'docker.sock');
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
    this.connections += 1;
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
    if (this.lagMs === 0) {
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
      return;
    }
    const later = (fn: () => void): void => void setTimeout(fn, this.lagMs);
    upstream.on('error', drop).on('close', () => later(drop));
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => later(() => client.destroyed || client.write(chunk)));
  }
}

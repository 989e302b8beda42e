/**
 * Podman's Docker-compatible API as Podman 4.3.1 answered it (recorded in
 * test/fixtures/podman-4.3.1-api.json), served on a unix socket: what the
 * endpoint search meets at a Podman socket, without running Podman. Anything
 * not recorded gets Podman's 404.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';

interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const recording = JSON.parse(
  readFileSync(new URL('../fixtures/podman-4.3.1-api.json', import.meta.url), 'utf8'),
) as { answers: Record<string, RecordedAnswer> };

export const PODMAN_VERSION_ANSWER = JSON.parse(recording.answers['/version']!.body) as {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  Components: { Name: string; Version: string }[];
};

export class PodmanReplay {
  readonly requests: string[] = [];
  private readonly server: Server;

  constructor(readonly socketPath: string) {
    this.server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0]!;
      this.requests.push(`${request.method} ${path}`);
      const answer = recording.answers[path];
      if (!answer) {
        response.writeHead(404, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ cause: 'not found', message: `${path} not found`, response: 404 }));
        return;
      }
      response.writeHead(answer.status, answer.headers);
      response.end(request.method === 'HEAD' ? undefined : answer.body);
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.socketPath, resolve));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

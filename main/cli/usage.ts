/**
 * Help texts, one per command; `--help` prints them and exits 0. The CLI speaks English (its
 * output is for scripts and logs); the main help says where the Chinese README is.
 */
import { join } from 'node:path';
import { packageRoot } from '../engine/package-root.js';
export { EXIT } from '../../contract/index.js';

/** The README in Simplified Chinese, in the installed package. */
export function chineseReadme(): string {
  return join(packageRoot(), 'README.zh-CN.md');
}

export const USAGE: Record<string, string> = {
  main: `discovery-tray: service discovery you can watch (Docker + Consul + registrator + consul-template + nginx)

Usage: discovery-tray <command> [options]

Commands:
  up       start the demo stack and the engine (foreground; Ctrl-C stops the engine)
  scale    scale a service: discovery-tray scale web=3, or a Compose service: scale myproject/api=3
  status   show the running engine's state (--json for scripts)
  hits     which backend served the requests: live table (--follow), --json for scripts
  traffic  send requests through the LB: traffic start --rate N --duration S | stop | status
  down     remove the demo stack (only what it created)

Run discovery-tray <command> --help for a command's options.
Exit codes: 0 ok, 1 failed, 2 bad usage (a value that can never be right; nothing changed),
3 no engine running.

简体中文说明 (README in Simplified Chinese): ${chineseReadme()}`,
  up: `Usage: discovery-tray up [options]

Starts (or adopts) the demo stack: a Docker network, a Consul dev server, the nginx LB and N web
containers, then runs the registrator and the template loop in the foreground.

Options:
  --web N             web instances to run (default: what runs, at least 1)
  --lb-port P         LB port on 127.0.0.1 (default 8080)
  --consul-port P     Consul UI/API port on 127.0.0.1 (default 8500)
  --api-port P        control API port on 127.0.0.1 (default: any free port)
  --consul-servers N  1 (default: a Consul dev server), 3 or 5: a real Consul cluster, one
                      127.0.0.1 port per server from --consul-port on
  --consul-image I    Consul image (default hashicorp/consul:1.20; env DISCOVERY_TRAY_CONSUL_IMAGE)
  --lb-image I        nginx image (default nginx:alpine; env DISCOVERY_TRAY_LB_IMAGE)
  --web-image I       web image (default: simple-web built locally; env DISCOVERY_TRAY_WEB_IMAGE)
  --docker-host H     the Docker engine (unix://, tcp://, ssh://, npipe://, or a socket path);
                      default: DOCKER_HOST, the Docker context, the default and rootless
                      sockets, Podman's (the first that answers)
                      Repeat it to follow more engines: the first runs the stack, each
                      further one is ADDRESS[,ip=IPV4][,name=NAME][,tls=CERT_DIR] and its
                      containers register with that ip and their published ports (-p)
  --consul ADDR       use your own Consul (HOST:PORT) instead of the demo container
                      (its ACL token from DISCOVERY_TRAY_CONSUL_TOKEN; never logged).
                      Repeat it (or give a comma list) for several agents of your cluster:
                      the engine uses the first that answers and moves to the next live one
                      when it stops answering
  --consul-ca FILE    the CA (PEM) that signed your Consul's https certificates, for
                      https:// addresses (env DISCOVERY_TRAY_CONSUL_CA; default: the system's CAs)
  --template FILE     consul-template file for nginx, kept in the state folder and used by
                      the next starts too (default: the last one kept, else the classic one)
  --template-name N   a built-in template: classic (the reset) or services-localhost (every
                      service also at http://<service>.localhost:<lb-port>/), kept the same way
  --wait MIN:MAX      quiescence before rendering, e.g. 200ms:2s (default: render at once)
  --register MODE     internal (container IP + exposed port, default) or published
                      (host address + published port), as registrator's -internal
  --register-ip IP    the host address published mode advertises (registrator's -ip)
  --down-on-exit      remove the stack when the engine stops (default: it keeps running)
  -h, --help          this help

Settings: up reads settings.json in the state folder, as the desktop app writes it (ports, images,
Docker endpoint, Consul). Flags win over the environment (DISCOVERY_TRAY_LB_PORT,
DISCOVERY_TRAY_CONSUL_PORT, DISCOVERY_TRAY_*_IMAGE, DISCOVERY_TRAY_CONSUL, …), which wins over
the file, which wins over the defaults.`,
  scale: `Usage: discovery-tray scale web=N [--host NAME|spread]
       discovery-tray scale PROJECT/SERVICE=N

Scales the demo's web to N instances (0 to 100), or a Docker Compose service to N replicas (1 to 100),
through the running engine. Scale-down drains, highest numbers first: deregister, re-render, reload
nginx, wait for requests in flight, then stop and remove.

A Compose service is named by its project and service (the com.docker.compose.project and
com.docker.compose.service labels of its containers). New replicas are copies of a running one, as
docker compose up --scale makes them: the same image, command, environment, labels, volumes and
networks (with the service's aliases), named PROJECT-SERVICE-<n> (PROJECT_SERVICE_<n> for Compose v1).
A service that publishes a fixed host port, has a fixed address or a container_name cannot get more
replicas (Compose cannot scale it either). Containers that are neither the demo's nor a Compose
service's are never started or stopped.

With several engines (up --docker-host ... repeated), --host places the demo's web:
  --host NAME    new replicas on that Docker host (local, or a followed host's name=); scaling down
                 takes that host's replicas first
  --host spread  each new replica on the host with the fewest running; scaling down takes from the
                 host with the most
Without --host, new replicas start on the local engine and scale-down takes the highest numbers,
whatever host they run on. Compose services scale on the local engine only.`,
  status: `Usage: discovery-tray status [--json]

Shows Docker, Consul and LB state, the services with their instances, and the last errors.
  --json   machine-readable (lb.url, consul.url, services[].instances[].address, timeline, …)`,
  hits: `Usage: discovery-tray hits [--follow] [--json]

Hits per backend: total, the last second, the share of the last 60 s, and the order of the last
requests (round-robin). The counts come from the web containers' own logs, or from nginx's access log
when the web image logs nothing per request; the output says which. With several Docker engines the
web on every followed host is counted too, from that host's logs, and a HOST column says where each
backend runs.
  -f, --follow   keep the table live (one update a second while something changes); Ctrl-C ends it
  --json         machine-readable: {source, backends: [{address, host, total, perSecond, share, series}], recent}
                 (host only with several engines)
                 (with --follow, one JSON object per line)`,
  traffic: `Usage: discovery-tray traffic start --rate N [--duration S] [--json]
       discovery-tray traffic stop [--json]
       discovery-tray traffic status [--json]

Sends GET requests through the LB on 127.0.0.1 at a steady rate, and stops by itself at the end.
  --rate N       requests per second, 1 to 200
  --duration S   seconds, 1 to 3600 (default 60)
  --json         machine-readable (sent, succeeded, failed, latencyMs {p50, p95, p99}, byBackend)`,
  down: `Usage: discovery-tray down

Removes the demo stack's containers and network (only those labelled as the stack's). With an engine
running, it deregisters the web containers first and the engine stops.`,
};

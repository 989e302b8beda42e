/**
 * Which backend of the status a hit belongs to, for both logs:
 * - a web container's page line names the container (the stream it came on) and the server's
 *   own IP ("to WebServer <addr>"). The container's registration says under which address the LB
 *   knows it: its container IP on the local engine, but on a followed host that host's address
 *   and the published port, which the page line cannot tell. So the container decides, and the
 *   printed IP (with the host) is only the fallback for a container never registered.
 * - an access log line names the address nginx sent to (the registered one).
 * A backend's identity outlives its deregistration (a draining container still serves), so the
 * last one known per container and per address is kept.
 */
import type { BackendIdentity } from './hits-aggregator.js';
import type { BackendIndex } from './backend-index.js';
import type { WebBackend } from './hits-service.js';

/** A page line's origin: the container whose log it came from, on which host. */
export interface PageLineOrigin {
  containerId: string;
  containerName: string;
  serverIp: string;
  /** The Docker host whose log it is (as the status names it); absent with one engine. */
  host?: string;
}

export interface Match {
  identity: BackendIdentity;
  /** The registration it matched, when the backend is registered now. */
  registered?: WebBackend;
}

/** Past this many containers or addresses, the first one seen is forgotten (a long run with churn). */
const REMEMBERED = 10_000;

export class BackendMatcher {
  private readonly ofContainerId = new Map<string, BackendIdentity>();
  private readonly atAddress = new Map<string, BackendIdentity>();

  constructor(private readonly index: BackendIndex) {}

  /** The identity of a registered backend (and remembered, for after it is gone). */
  identityOf(backend: WebBackend): BackendIdentity {
    const identity: BackendIdentity = {
      address: `${backend.address}:${backend.port}`,
      ...(backend.host !== undefined ? { host: backend.host } : {}),
      containerId: backend.containerId,
      containerName: backend.containerName,
    };
    remember(this.ofContainerId, backend.containerId, identity);
    remember(this.atAddress, identity.address, identity);
    return identity;
  }

  pageLine(origin: PageLineOrigin): Match {
    const registered = this.index.ofContainer(origin.containerId);
    if (registered) return { identity: this.identityOf(registered), registered };
    const identity = this.ofContainerId.get(origin.containerId) ?? {
      address: `${origin.serverIp}:80`,
      ...(origin.host !== undefined ? { host: origin.host } : {}),
      containerId: origin.containerId,
      containerName: origin.containerName,
    };
    return { identity };
  }

  /** `address` as nginx logged it (ip:port); undefined identity: nothing known there. */
  accessLine(address: string): { identity?: BackendIdentity; registered?: WebBackend } {
    const registered = this.index.at(address);
    if (registered) return { identity: this.identityOf(registered), registered };
    const identity = this.atAddress.get(address);
    return identity ? { identity } : {};
  }
}

function remember(map: Map<string, BackendIdentity>, key: string, identity: BackendIdentity): void {
  map.set(key, identity);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value!);
}

/**
 * Docker API version negotiation, as the docker CLI does it: ask the engine
 * (unversioned /version), then speak the highest version both sides know.
 * Without it, a pinned old version is refused by Docker 29 (minimum API 1.44)
 * and a pinned new one is refused by Docker 20 (maximum API 1.41).
 */
import { UserError } from '../errors.js';

/** The oldest API whose fields this engine relies on (Docker 20.10). */
export const CLIENT_MIN_API = '1.41';
/** The newest API this engine was written against (Docker 29). */
export const CLIENT_MAX_API = '1.52';

export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export interface EngineVersionInfo {
  ApiVersion?: string;
  MinAPIVersion?: string;
  Version?: string;
}

export function negotiateApiVersion(engine: EngineVersionInfo): string {
  const engineMax = engine.ApiVersion;
  if (!engineMax)
    throw new UserError(
      'The Docker engine did not report its API version; is DOCKER_HOST a Docker engine?',
      'docker-unsupported',
    );
  const chosen = compareApiVersions(engineMax, CLIENT_MAX_API) < 0 ? engineMax : CLIENT_MAX_API;
  if (compareApiVersions(chosen, CLIENT_MIN_API) < 0) {
    throw new UserError(
      `Docker ${engine.Version ?? ''} speaks API ${engineMax}, older than ${CLIENT_MIN_API} (Docker 20.10), the oldest this app supports. Upgrade Docker.`,
      'docker-unsupported',
    );
  }
  const engineMin = engine.MinAPIVersion;
  if (engineMin && compareApiVersions(chosen, engineMin) < 0) {
    throw new UserError(
      `Docker ${engine.Version ?? ''} needs API ${engineMin} or newer; this app speaks up to ${CLIENT_MAX_API}. Update Discovery Tray.`,
      'docker-unsupported',
    );
  }
  return chosen;
}

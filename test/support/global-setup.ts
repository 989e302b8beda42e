/**
 * Integration tests need a real Docker engine and the local test images.
 * Without them the run fails with what to do: it never skips (CI installs
 * and starts everything through .ci/run).
 */
import Dockerode from 'dockerode';
import { testImages } from './images.js';

export default async function setup(): Promise<void> {
  const docker = new Dockerode();
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(
      `Integration tests need a Docker engine (DOCKER_HOST or /var/run/docker.sock): ${String(error)}. ` +
        'Start dockerd, or run .ci/run, which installs and starts everything.',
    );
  }
  const missing: string[] = [];
  for (const image of Object.values(testImages)) {
    try {
      await docker.getImage(image).inspect();
    } catch {
      missing.push(image);
    }
  }
  if (missing.length > 0) {
    throw new Error(`Missing test images: ${missing.join(', ')}. Build them with: npm run test:images`);
  }
}

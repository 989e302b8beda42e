/**
 * Copies an image from one Docker engine to another (`docker save | docker load` over the two
 * APIs), for a followed host that lacks the demo's web image: a lab host need not reach a registry,
 * and a locally built image is in none.
 */
import type Dockerode from 'dockerode';

export async function hasImage(docker: Dockerode, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Resolves once the target has loaded the image; rejects with its error. */
export async function copyImage(from: Dockerode, to: Dockerode, image: string): Promise<void> {
  const tar = await from.getImage(image).get();
  const response = await to.loadImage(tar);
  const text = await new Promise<string>((resolve, reject) => {
    let body = '';
    tar.on('error', reject);
    response.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    response.on('end', () => resolve(body));
    response.on('error', reject);
  });
  // The load answers with JSON lines; a failure is one with `error` in it.
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    const message = (JSON.parse(line) as { error?: string }).error;
    if (message) throw new Error(`loading ${image}: ${message}`);
  }
}

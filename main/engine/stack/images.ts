/**
 * Makes sure an image is on the engine: kept if present, pulled with progress
 * if not, and for the default simple-web built locally from the recipe that
 * ships with the app. Where no registry answers, the error names the image and
 * the flag that picks another.
 */
import type Dockerode from 'dockerode';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tarArchive } from '../docker/archive.js';
import { UserError, errorMessage } from '../errors.js';
import { assetPath } from '../package-root.js';
import {
  ImageProgressTracker,
  formatImageProgress,
  type DockerProgressEvent,
  type ImageProgress,
} from './image-progress.js';

/**
 * What the engine says while it starts: a line of text, and for image pulls and
 * builds also the figure it was made from (one per image, throttled), for a
 * progress bar.
 */
export type ProgressReporter = (message: string, image?: ImageProgress) => void;

function imageReporter(progress: ProgressReporter): (image: ImageProgress) => void {
  return (image) => progress(formatImageProgress(image), image);
}

/** Feeds a Docker progress stream to `tracker`; resolves when it ends, rejects with the stream's own error. */
function followStream(
  docker: Dockerode,
  stream: NodeJS.ReadableStream,
  tracker: ImageProgressTracker,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        // An error Docker reports inside the stream ends it normally: followProgress passes no error then.
        const failed = error?.message ?? tracker.error;
        if (failed) reject(new Error(failed));
        else resolve();
      },
      (event: DockerProgressEvent) => tracker.event(event),
    );
  });
}

/** The label that records which version of the simple-web recipe built an image. */
const RECIPE_LABEL = 'org.discovery-tray.recipe';

/** The image's labels, or undefined when the engine does not have it. */
async function imageLabels(docker: Dockerode, image: string): Promise<Record<string, string> | undefined> {
  try {
    const info = await docker.getImage(image).inspect();
    return info.Config.Labels ?? {};
  } catch {
    return undefined;
  }
}

export async function imageExists(docker: Dockerode, image: string): Promise<boolean> {
  return (await imageLabels(docker, image)) !== undefined;
}

function simpleWebRecipe(): { files: { path: string; content: Buffer; mode: number }[]; hash: string } {
  const dir = assetPath('simple-web');
  const files = readdirSync(dir)
    .sort()
    .map((name) => ({ path: name, content: readFileSync(join(dir, name)), mode: 0o755 }));
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.path).update(file.content);
  return { files, hash: hash.digest('hex').slice(0, 16) };
}

/** True when `image` was built from an older simple-web recipe than the one shipped (so rebuild it). */
export async function simpleWebIsStale(docker: Dockerode, image: string): Promise<boolean> {
  const labels = await imageLabels(docker, image);
  return labels !== undefined && labels[RECIPE_LABEL] !== simpleWebRecipe().hash;
}

export async function pullImage(
  docker: Dockerode,
  image: string,
  flag: string,
  progress: ProgressReporter,
): Promise<void> {
  const tracker = new ImageProgressTracker(image, 'pull', imageReporter(progress));
  tracker.start('');
  try {
    const stream = await docker.pull(image);
    await followStream(docker, stream, tracker);
  } catch (error) {
    tracker.finish(errorMessage(error));
    throw new UserError(
      `Could not pull ${image} (${errorMessage(error)}). Check your network or registry, or use another image with ${flag}.`,
      'image-unavailable',
    );
  }
  tracker.finish();
}

/** Builds simple-web from assets/simple-web on `base`, tagged `tag`. */
export async function buildSimpleWeb(
  docker: Dockerode,
  tag: string,
  base: string,
  progress: ProgressReporter,
): Promise<void> {
  const recipe = simpleWebRecipe();
  const context = await tarArchive(recipe.files);
  const tracker = new ImageProgressTracker(tag, 'build', imageReporter(progress));
  tracker.start(`from the simple-web recipe on ${base}`);
  try {
    const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
      t: tag,
      buildargs: { BASE: base },
      labels: { [RECIPE_LABEL]: recipe.hash },
    });
    await followStream(docker, stream, tracker);
  } catch (error) {
    tracker.finish(errorMessage(error));
    throw new UserError(
      `Could not build ${tag} on ${base} (${errorMessage(error)}). Make ${base} available, or choose a web image with --web-image.`,
      'image-unavailable',
    );
  }
  tracker.finish();
}

export async function ensureImage(
  docker: Dockerode,
  image: string,
  flag: string,
  progress: ProgressReporter,
  build?: () => Promise<void>,
  stale?: () => Promise<boolean>,
): Promise<void> {
  if ((await imageExists(docker, image)) && !(await stale?.())) return;
  if (build) await build();
  else await pullImage(docker, image, flag, progress);
}

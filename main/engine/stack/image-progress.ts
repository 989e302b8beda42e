/**
 * One progress figure per image, from Docker's JSON progress stream: a pull
 * (`{status, id, progressDetail: {current, total}}` per layer: "Pulling fs
 * layer", "Downloading", "Verifying Checksum", "Download complete",
 * "Extracting", "Pull complete", "Already exists", "Retrying in N seconds";
 * `{error}` when it fails) or a classic build (`{stream: "Step 3/7 : …"}`, and
 * the pull of its base image in the same form as above). Layers are summed
 * into one event, sent at most every `throttleMs` (a pull sends dozens a
 * second) and at once when the phase or the build step changes.
 */

import type { ImagePhase, ImageProgress } from '../../../contract/index.js';

// The figure is part of the contract (the `progress` topic); the engine makes it.
export type { ImagePhase, ImageProgress };

/** One object of Docker's progress stream (pull, build). */
export interface DockerProgressEvent {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

type LayerState = 'waiting' | 'downloading' | 'downloaded' | 'extracting' | 'done' | 'existed';

interface Layer {
  state: LayerState;
  downloaded: number;
  size: number;
  extracted: number;
  extractSize: number;
}

/** Downloading is most of the wait; extracting the rest. */
const DOWNLOAD_SHARE = 0.8;

function layerFraction(layer: Layer): number {
  switch (layer.state) {
    case 'waiting':
      return 0;
    case 'downloading':
      return layer.size > 0 ? DOWNLOAD_SHARE * Math.min(1, layer.downloaded / layer.size) : 0;
    case 'downloaded':
      return DOWNLOAD_SHARE;
    case 'extracting':
      return (
        DOWNLOAD_SHARE +
        (1 - DOWNLOAD_SHARE) * (layer.extractSize > 0 ? Math.min(1, layer.extracted / layer.extractSize) : 0)
      );
    case 'done':
    case 'existed':
      return 1;
  }
}

/** Docker fetches three layers at a time (its max-concurrent-downloads). */
const PARALLEL_DOWNLOADS = 3;

/**
 * How far the layers to fetch are, each weighed by its size. Docker tells a
 * size when a layer starts; one still waiting weighs as much as the average of
 * those known. Undefined until the first layers Docker fetches at once have
 * told theirs: a figure from one small layer's size alone would fall back as
 * the big ones start.
 */
function weightedFraction(layers: readonly Layer[]): number | undefined {
  const known = layers.filter((l) => l.size > 0);
  const told = layers.filter((l) => l.size > 0 || (l.state !== 'waiting' && l.state !== 'downloading'));
  if (layers.length === 0 || told.length < Math.min(PARALLEL_DOWNLOADS, layers.length)) return undefined;
  const average = known.length > 0 ? known.reduce((sum, l) => sum + l.size, 0) / known.length : 1;
  let weights = 0;
  let done = 0;
  for (const layer of layers) {
    const weight = layer.size > 0 ? layer.size : average;
    weights += weight;
    done += weight * layerFraction(layer);
  }
  return done / weights;
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;

/** Follows one image's stream and says how far it is. */
export class ImageProgressTracker {
  private readonly layers = new Map<string, Layer>();
  private phase: ImagePhase;
  private message = '';
  private step = 0;
  private steps = 0;
  /** The build step during which the layers were pulled. */
  private pullStep = 0;
  /**
   * Whether any layer has started to come. Docker names every layer before it fetches any, so until
   * then the list may still grow; the layers it already has take no time and do not count.
   */
  private fetching = false;
  /** The figure as last computed; its percent never goes back (a retried layer's bytes do). */
  private current: ImageProgress;
  private lastSent = -Infinity;
  private lastSentPhase: ImagePhase | undefined;
  private lastSentStep = 0;

  constructor(
    readonly image: string,
    kind: 'pull' | 'build',
    private readonly emit: (progress: ImageProgress) => void,
    private readonly options: { throttleMs?: number; now?: () => number } = {},
  ) {
    this.phase = kind === 'pull' ? 'pulling' : 'building';
    this.current = this.compute();
  }

  /** Sends the starting figure (nothing known yet). */
  start(message: string): void {
    this.message = message;
    this.send(true);
  }

  /** The error Docker reported in the stream, if it did. */
  get error(): string | undefined {
    return this.phase === 'failed' ? this.message : undefined;
  }

  event(event: DockerProgressEvent): void {
    if (this.phase === 'done' || this.phase === 'failed') return;
    if (event.error || event.errorDetail?.message) {
      this.finish(event.errorDetail?.message ?? event.error);
      return;
    }
    if (event.stream !== undefined) this.buildLine(event.stream.trim());
    else if (event.status !== undefined) this.pullStatus(event);
    this.send(false);
  }

  /** The last figure: done, or failed with `error`. Sent once, whatever else is sent. */
  finish(error?: string): ImageProgress {
    if (this.phase === 'done' || this.phase === 'failed') return this.current;
    this.phase = error === undefined ? 'done' : 'failed';
    if (error !== undefined) this.message = error;
    else if (this.steps > 0) this.step = this.steps;
    return this.send(true);
  }

  snapshot(): ImageProgress {
    return this.current;
  }

  private update(): ImageProgress {
    const next = this.compute();
    const before = this.current.percent;
    if (next.percent !== null && before !== null && next.percent < before) next.percent = before;
    this.current = next;
    return next;
  }

  private compute(): ImageProgress {
    const layers = [...this.layers.values()];
    const fetched = layers.filter((l) => l.state !== 'existed');
    const bytesTotal = fetched.reduce((sum, l) => sum + l.size, 0);
    const bytesDone = fetched.reduce(
      (sum, l) =>
        sum + (l.state === 'waiting' || l.state === 'downloading' ? Math.min(l.downloaded, l.size) : l.size),
      0,
    );
    const pulled = this.fetching ? weightedFraction(fetched) : undefined;
    let fraction: number | undefined;
    if (this.phase === 'done') fraction = 1;
    else if (this.steps > 0)
      fraction =
        (Math.max(0, this.step - 1) + (this.step > 0 ? (pulled ?? 0) * this.pullShareOfStep() : 0)) /
        this.steps;
    else fraction = pulled;
    return {
      image: this.image,
      phase: this.phase,
      layersDone: layers.filter((l) => l.state === 'done' || l.state === 'existed').length,
      layersTotal: layers.length,
      bytesDone,
      bytesTotal,
      stepsDone: this.phase === 'done' ? this.steps : Math.max(0, this.step - 1),
      stepsTotal: this.steps,
      percent:
        fraction === undefined
          ? null
          : this.phase === 'done'
            ? 100
            : Math.min(99, Math.floor(fraction * 100)),
      message: this.message,
    };
  }

  /** A build's base-image pull counts within its step (FROM) only while the build is on that step. */
  private pullShareOfStep(): number {
    return this.layers.size > 0 && this.pullStep === this.step ? 1 : 0;
  }

  private buildLine(line: string): void {
    const step = STEP.exec(line);
    if (!step) return;
    this.step = Number(step[1]);
    this.steps = Number(step[2]);
    this.message = line;
  }

  private pullStatus(event: DockerProgressEvent): void {
    const status = event.status ?? '';
    const id = event.id;
    // "Pulling from library/nginx" carries the tag as its id; "Digest: …" and "Status: …" carry none.
    if (!id || status.startsWith('Pulling from')) {
      if (status.startsWith('Status:') || status.startsWith('Digest:') || status.startsWith('Pulling from'))
        this.message = status;
      return;
    }
    if (this.pullStep === 0) this.pullStep = this.step;
    const layer = this.layers.get(id) ?? {
      state: 'waiting',
      downloaded: 0,
      size: 0,
      extracted: 0,
      extractSize: 0,
    };
    this.layers.set(id, layer);
    const detail = event.progressDetail ?? {};
    if (status !== 'Pulling fs layer' && status !== 'Waiting' && status !== 'Already exists')
      this.fetching = true;
    if (status === 'Downloading') {
      layer.state = 'downloading';
      layer.downloaded = detail.current ?? layer.downloaded;
      layer.size = detail.total && detail.total > 0 ? detail.total : layer.size;
    } else if (status === 'Verifying Checksum' || status === 'Download complete') {
      layer.state = 'downloaded';
      layer.downloaded = layer.size;
    } else if (status === 'Extracting') {
      layer.state = 'extracting';
      layer.extracted = detail.current ?? layer.extracted;
      layer.extractSize = detail.total && detail.total > 0 ? detail.total : layer.extractSize;
    } else if (status === 'Pull complete') {
      layer.state = 'done';
    } else if (status === 'Already exists') {
      layer.state = 'existed';
    } else if (status.startsWith('Retrying')) {
      // Docker starts the layer over after the pause: what it had counts for nothing.
      layer.state = 'downloading';
      layer.downloaded = 0;
      this.message = `${id}: ${status}`;
    }
  }

  private send(force: boolean): ImageProgress {
    const progress = this.update();
    const now = (this.options.now ?? Date.now)();
    const changed = this.lastSentPhase !== this.phase || this.lastSentStep !== this.step;
    if (force || changed || now - this.lastSent >= (this.options.throttleMs ?? 250)) {
      this.lastSent = now;
      this.lastSentPhase = this.phase;
      this.lastSentStep = this.step;
      this.emit(progress);
    }
    return progress;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The figure as one line of text, for logs and plain terminals. */
export function formatImageProgress(progress: ImageProgress): string {
  const { image, phase, percent } = progress;
  const share = percent === null ? '' : ` (${percent}%)`;
  const bytes =
    progress.bytesTotal > 0 ? `, ${megabytes(progress.bytesDone)} of ${megabytes(progress.bytesTotal)}` : '';
  const layers =
    progress.layersTotal > 0 ? `${progress.layersDone}/${progress.layersTotal} layers${bytes}` : '';
  switch (phase) {
    case 'pulling':
      return `pulling ${image}${layers ? `: ${layers}` : progress.message ? `: ${progress.message}` : ''}${share}`;
    case 'building': {
      if (progress.stepsTotal === 0) return `building ${image} ${progress.message}`.trimEnd();
      const pulling =
        layers && progress.layersDone < progress.layersTotal ? `, pulling its base: ${layers}` : '';
      return `building ${image}: step ${progress.stepsDone + 1}/${progress.stepsTotal}${pulling}${share}`;
    }
    case 'done':
      return `${image} ready${progress.bytesTotal > 0 ? ` (${megabytes(progress.bytesTotal)} pulled)` : ''}`;
    case 'failed':
      return `${image} failed: ${progress.message}`;
  }
}

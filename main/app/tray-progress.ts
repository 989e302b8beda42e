/**
 * The tray's words for image progress while the engine starts: "Preparing images: nginx 45 %…",
 * for a disabled menu line and the tooltip. Only images still coming are named (a finished one
 * has nothing left to wait for), each by its short name (no registry, no tag).
 */
import type { EngineStatus, ImageProgress, Translate } from '../../contract/index.js';

/** "docker.io/library/nginx:1.27-alpine" → "nginx"; "discovery-tray/simple-web:local" → "simple-web". */
export function shortImageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const last = withoutDigest.split('/').at(-1) ?? withoutDigest;
  return last.split(':')[0] || image;
}

function imagesInProgress(status: EngineStatus): ImageProgress[] {
  return (status.preparing ?? []).filter((p) => p.phase === 'pulling' || p.phase === 'building');
}

function namesWithPercent(images: ImageProgress[], t: Translate): string {
  return images
    .map((p) =>
      p.percent === null
        ? shortImageName(p.image)
        : t('progress.trayImage', { image: shortImageName(p.image), percent: p.percent }),
    )
    .join(', ');
}

/** The menu line, or undefined when no image is being pulled or built. */
export function preparingLine(status: EngineStatus, t: Translate): string | undefined {
  const images = imagesInProgress(status);
  return images.length > 0 ? t('progress.trayLine', { images: namesWithPercent(images, t) }) : undefined;
}

/** The tooltip while images come, or undefined. */
export function preparingTooltip(status: EngineStatus, t: Translate): string | undefined {
  const images = imagesInProgress(status);
  return images.length > 0 ? t('progress.tooltip', { images: namesWithPercent(images, t) }) : undefined;
}

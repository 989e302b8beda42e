/**
 * Which rows of a long list of equal-height rows are in the DOM: those in the scroll box's view
 * and a few on either side (so a short scroll shows rows already there). At 100 backends the
 * backends table had ~2,000 table boxes in the page and every push laid out and painted the
 * whole 5,000 px document; with a window of ~25 rows the page lays out what is seen.
 */
export interface RowWindow {
  /** Index of the first row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Heights (px) standing for the rows not rendered above and below, so the scrollbar is the real one. */
  padTop: number;
  padBottom: number;
}

export function rowWindow(
  total: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  overscan: number,
): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: Math.max(0, total), padTop: 0, padBottom: 0 };
  const inView = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const first = Math.min(Math.max(0, Math.floor(scrollTop / rowHeight)), Math.max(0, total - inView));
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + inView + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (total - end) * rowHeight };
}

/**
 * One colour per backend address, stable for the page's life: an address hashes to its
 * preferred palette slot and takes the next free one on a collision, so three backends
 * always get three different colours. The palette reads on light and dark backgrounds.
 */
export const PALETTE = [
  '#2f7ed8',
  '#e8743b',
  '#19a979',
  '#c2417b',
  '#8e6bd6',
  '#d9a21b',
  '#1ba3b8',
  '#6c8a1f',
  '#d6473c',
  '#7a7f8c',
] as const;

export class BackendColors {
  private readonly assigned = new Map<string, string>();

  colorOf(address: string): string {
    const known = this.assigned.get(address);
    if (known) return known;
    const used = new Set(this.assigned.values());
    const preferred = hash(address) % PALETTE.length;
    let color: string = PALETTE[preferred] ?? PALETTE[0];
    for (let i = 0; i < PALETTE.length; i++) {
      const candidate = PALETTE[(preferred + i) % PALETTE.length] ?? PALETTE[0];
      if (!used.has(candidate)) {
        color = candidate;
        break;
      }
    }
    this.assigned.set(address, color);
    return color;
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

#!/usr/bin/env node
/**
 * Draws the tray and app icons (a small service graph: three nodes, three edges)
 * and writes them as PNGs with plain Node (zlib), so no image tool is needed.
 * The outputs are committed; run this again only when the drawing changes:
 *   node scripts/make-icons.js
 *
 * assets/tray/tray-<state>Template.png (+@2x)  macOS: black + alpha, tinted by the system
 * assets/tray/tray-<state>-light.png (+@2x)    light panels: dark glyph
 * assets/tray/tray-<state>-dark.png (+@2x)     dark panels: light glyph
 * assets/icons/icon.png                        512 px app icon (electron-builder makes .icns/.ico)
 * states: ready (filled nodes), working (hollow nodes), error (edges cut, a cross for the third node)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

// --- PNG encoding (RGBA, 8 bit, no interlace) ---
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- shapes as signed distance functions on a 16-unit canvas ---
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, width) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2;
const segment = (ax, ay, bx, by, width) => (x, y) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) - width / 2;
};
const roundedSquare = (x0, y0, x1, y1, r) => (x, y) => {
  const qx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const qy = Math.max(y0 + r - y, 0, y - (y1 - r));
  const outside = Math.hypot(qx, qy) - r;
  const inside = Math.min(Math.max(x0 - x, x - x1, y0 - y, y - y1), 0);
  return qx > 0 || qy > 0 ? outside : inside;
};

const TOP = [8, 3.4];
const LEFT = [3.4, 12.2];
const RIGHT = [12.6, 12.2];
const NODE_R = 2.5;
const EDGE_W = 1.3;

/** Layers [{shape, color}], drawn in order; color is [r, g, b]. */
function glyph(state, fg, accent) {
  const layers = [];
  const edges = [
    [TOP, LEFT],
    [TOP, RIGHT],
    [LEFT, RIGHT],
  ];
  if (state !== 'error')
    for (const [a, b] of edges) layers.push({ shape: segment(...a, ...b, EDGE_W), color: fg });
  const node = state === 'working' ? (c) => ring(...c, NODE_R - 0.65, 1.3) : (c) => circle(...c, NODE_R);
  layers.push({ shape: node(TOP), color: fg }, { shape: node(LEFT), color: fg });
  if (state === 'error') {
    const [cx, cy] = RIGHT;
    const d = 2.6;
    layers.push(
      { shape: segment(cx - d, cy - d, cx + d, cy + d, 1.6), color: accent },
      { shape: segment(cx - d, cy + d, cx + d, cy - d, 1.6), color: accent },
    );
  } else layers.push({ shape: node(RIGHT), color: accent });
  // Hollow nodes stay hollow: the edges must not show through them.
  if (state === 'working')
    for (const c of [TOP, LEFT, RIGHT]) layers.push({ shape: circle(...c, NODE_R - 1.3), color: null });
  return layers;
}

/** Rasterizes layers at `size` px with 4×4 supersampling; background transparent unless given. */
function render(size, layers, background) {
  const rgba = Buffer.alloc(size * size * 4);
  const scale = 16 / size;
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          let color; // a layer with color null erases what is under it
          for (const layer of layers) if (layer.shape(x, y) <= 0) color = layer.color;
          if (!color && background && background.shape(x, y) <= 0) color = background.color;
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
        rgba[i + 3] = Math.round((255 * a) / (samples * samples));
      }
    }
  }
  return rgba;
}

const BLACK = [0, 0, 0];
const PALETTE = {
  // light panels: dark glyph, deeper accents; dark panels: light glyph, softer accents
  light: { fg: [32, 33, 36], ready: [30, 142, 62], working: [227, 116, 0], error: [217, 48, 37] },
  dark: { fg: [241, 243, 244], ready: [129, 201, 149], working: [253, 214, 99], error: [242, 139, 130] },
};

function write(relative, buffer) {
  const path = `${root}${relative}`;
  writeFileSync(path, buffer);
  console.log(`${relative} (${buffer.length} bytes)`);
}

mkdirSync(`${root}assets/tray`, { recursive: true });
mkdirSync(`${root}assets/icons`, { recursive: true });
for (const state of ['ready', 'working', 'error']) {
  for (const [size, suffix] of [
    [16, ''],
    [32, '@2x'],
  ]) {
    write(
      `assets/tray/tray-${state}Template${suffix}.png`,
      encodePng(size, render(size, glyph(state, BLACK, BLACK))),
    );
    for (const variant of ['light', 'dark']) {
      const colors = PALETTE[variant];
      write(
        `assets/tray/tray-${state}-${variant}${suffix}.png`,
        encodePng(size, render(size, glyph(state, colors.fg, colors[state]))),
      );
    }
  }
}

// The app icon: the graph in white on a rounded blue square (inset so that the glyph breathes).
const inset = (layers) =>
  layers.map(({ shape, color }) => ({
    shape: (x, y) => shape((x - 8) / 0.62 + 8, (y - 8.3) / 0.62 + 8) * 0.62,
    color,
  }));
write(
  'assets/icons/icon.png',
  encodePng(
    512,
    render(512, inset(glyph('ready', [255, 255, 255], [129, 201, 149])), {
      shape: roundedSquare(0.6, 0.6, 15.4, 15.4, 3.2),
      color: [26, 115, 232],
    }),
  ),
);

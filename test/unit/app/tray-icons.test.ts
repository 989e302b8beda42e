import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_STATES, trayIconFile, trayIconPath, trayVariant } from '../../../main/app/tray-icons.js';

const assets = fileURLToPath(new URL('../../../assets/', import.meta.url));

/** Decodes the RGBA PNGs that scripts/make-icons.mjs writes (filter 0, no interlace). */
function readPng(path: string): { width: number; height: number; pixels: Buffer } {
  const file = readFileSync(path);
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9]]).toEqual([8, 6]); // 8-bit RGBA
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, height, pixels };
}

describe('tray icons', () => {
  it('picks Template images on macOS and follows the system theme on Windows and Linux', () => {
    expect(trayVariant('darwin', true)).toBe('template');
    expect(trayVariant('win32', true)).toBe('dark');
    expect(trayVariant('win32', false)).toBe('light');
    expect(trayVariant('linux', false)).toBe('light');
    expect(trayVariant('linux', true)).toBe('dark');
    expect(trayIconPath('/a', 'error', 'darwin', false)).toBe('/a/tray/tray-errorTemplate.png');
  });

  it.each(
    TRAY_ICON_STATES.flatMap((state) =>
      (['template', 'light', 'dark'] as const).map((v) => [state, v] as const),
    ),
  )('has %s/%s at 16 px and @2x 32 px, with visible, distinct pixels', (state, variant) => {
    const base = trayIconFile(state, variant);
    const small = readPng(`${assets}tray/${base}`);
    const large = readPng(`${assets}tray/${base.replace('.png', '@2x.png')}`);
    expect([small.width, small.height, large.width, large.height]).toEqual([16, 16, 32, 32]);
    let opaque = 0;
    for (let i = 0; i < large.pixels.length; i += 4) {
      const [r, g, b, a] = [
        large.pixels[i]!,
        large.pixels[i + 1]!,
        large.pixels[i + 2]!,
        large.pixels[i + 3]!,
      ];
      if (a > 0) opaque++;
      // macOS tints Template images itself: they must be black + alpha only.
      if (variant === 'template' && a > 0) expect([r, g, b]).toEqual([0, 0, 0]);
    }
    expect(opaque).toBeGreaterThan(60);
    expect(opaque).toBeLessThan(32 * 32 - 60);
  });

  it('draws each state differently', () => {
    const pixels = TRAY_ICON_STATES.map(
      (state) => readPng(`${assets}tray/${trayIconFile(state, 'template')}`).pixels,
    );
    expect(pixels[0]!.equals(pixels[1]!)).toBe(false);
    expect(pixels[1]!.equals(pixels[2]!)).toBe(false);
    expect(pixels[0]!.equals(pixels[2]!)).toBe(false);
  });

  it('has a 512 px app icon for electron-builder', () => {
    const icon = readPng(`${assets}icons/icon.png`);
    expect([icon.width, icon.height]).toEqual([512, 512]);
  });
});

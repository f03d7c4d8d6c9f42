/** A minimal PNG decoder (8-bit RGB/RGBA, not interlaced) so screenshot tests can look at pixels without an image library. */
import { inflateSync } from 'node:zlib';

/** Decoded pixels, RGBA, row-major. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Decodes the PNG shapes Chromium writes for screenshots. */
export function decodePng(png: Buffer): Pixels {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colorType = data[9]!;
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || data[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${data[12]}`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      const x = line[i]!;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else if (filter === 4) v = x + paeth(a, b, c);
      else throw new Error(`bad PNG filter ${filter}`);
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      const o = (y * width + px) * 4;
      out[o] = cur[px * bpp]!;
      out[o + 1] = cur[px * bpp + 1]!;
      out[o + 2] = cur[px * bpp + 2]!;
      out[o + 3] = bpp === 4 ? cur[px * bpp + 3]! : 255;
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** How many distinct colours, and what share of pixels are not (near) white. */
export function pixelStats(p: Pixels): { colours: number; nonWhiteShare: number } {
  const colours = new Set<number>();
  let nonWhite = 0;
  for (let i = 0; i < p.rgba.length; i += 4) {
    const r = p.rgba[i]!;
    const g = p.rgba[i + 1]!;
    const b = p.rgba[i + 2]!;
    colours.add((r << 16) | (g << 8) | b);
    if (r < 240 || g < 240 || b < 240) nonWhite += 1;
  }
  return { colours: colours.size, nonWhiteShare: nonWhite / (p.width * p.height || 1) };
}

/** Share of pixels close to a colour (Manhattan distance in RGB under `tolerance`). */
export function colourShare(p: Pixels, hex: string, tolerance = 24): number {
  const r0 = parseInt(hex.slice(1, 3), 16);
  const g0 = parseInt(hex.slice(3, 5), 16);
  const b0 = parseInt(hex.slice(5, 7), 16);
  let n = 0;
  for (let i = 0; i < p.rgba.length; i += 4) {
    if (Math.abs(p.rgba[i]! - r0) + Math.abs(p.rgba[i + 1]! - g0) + Math.abs(p.rgba[i + 2]! - b0) < tolerance) n += 1;
  }
  return n / (p.width * p.height || 1);
}

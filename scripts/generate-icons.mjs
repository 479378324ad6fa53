// Draws the app icons (public/icons/*.png) with nothing but node:zlib, so a fresh clone needs no image
// tool. Run once after changing the design: `node scripts/generate-icons.mjs`; the PNGs are committed.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BACKGROUND = [0x12, 0x14, 0x1a];
const ACCENT = [0x4f, 0xb3, 0xff];
const CARD = [0x26, 0x2b, 0x36];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels (size × size × 4) → PNG bytes: one IHDR, one IDAT, filter 0 on every row. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A rounded card with a download arrow into a tray ("take it with you"). `safe` shrinks the drawing so a
 * maskable icon keeps its content inside the 80 % safe zone that launchers may crop to a circle.
 */
function drawIcon(size, { safe, fullBleed }) {
  const px = Buffer.alloc(size * size * 4);
  const s = size * safe;
  const off = (size - s) / 2;
  const radius = size * 0.2;
  const inRoundedSquare = (x, y) => {
    const cx = Math.min(Math.max(x, radius), size - radius);
    const cy = Math.min(Math.max(y, radius), size - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };
  // Shapes in unit coordinates (0..1) of the safe square.
  const inArrow = (u, v) => {
    const shaft = u > 0.43 && u < 0.57 && v > 0.16 && v < 0.5;
    const head = v >= 0.44 && v < 0.68 && Math.abs(u - 0.5) < (0.68 - v) * 1.05;
    return shaft || head;
  };
  const inTray = (u, v) => {
    const bottom = v > 0.74 && v < 0.84 && u > 0.2 && u < 0.8;
    const sides = v > 0.6 && v <= 0.84 && ((u > 0.2 && u < 0.3) || (u > 0.7 && u < 0.8));
    return bottom || sides;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const u = (x + 0.5 - off) / s;
      const v = (y + 0.5 - off) / s;
      let colour = null;
      if (fullBleed || inRoundedSquare(x + 0.5, y + 0.5)) colour = BACKGROUND;
      if (colour && u > 0.08 && u < 0.92 && v > 0.08 && v < 0.92) colour = CARD;
      if (colour && (inArrow(u, v) || inTray(u, v))) colour = ACCENT;
      if (colour) {
        px[i] = colour[0];
        px[i + 1] = colour[1];
        px[i + 2] = colour[2];
        px[i + 3] = 255;
      }
    }
  }
  return encodePng(size, px);
}

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(outDir, { recursive: true });
const icons = [
  ['icon-192.png', 192, { safe: 1, fullBleed: false }],
  ['icon-512.png', 512, { safe: 1, fullBleed: false }],
  ['icon-maskable-512.png', 512, { safe: 0.8, fullBleed: true }],
  ['apple-touch-icon.png', 180, { safe: 0.9, fullBleed: true }],
];
for (const [name, size, opts] of icons) {
  writeFileSync(path.join(outDir, name), drawIcon(size, opts));
  console.log(`wrote public/icons/${name}`);
}

// Looking at printed PDFs as a person would, with Debian's poppler-utils (scripts/lib.sh installs
// them): the text of each page (pdftotext), the pages as PNG images to look at (pdftoppm), and the
// QR codes printed on a page, read with jsQR from the page rendered at a printer's resolution.
import { execFileSync } from 'node:child_process';
import jsQR from 'jsqr';

// The text of every page, in order.
export function pdfPageTexts(pdfPath) {
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return text.split('\f').filter((page, i, all) => i < all.length - 1 || page.trim() !== '');
}

// Renders each page to `${prefix}-N.png` (for a person to look at).
export function pdfToPng(pdfPath, prefix, dpi = 60) {
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', pdfPath, prefix]);
}

// One page (1-based) rendered in grey at `dpi`, cropped to its top `heightMm` millimetres.
function renderGrey(pdfPath, { page = 1, dpi = 300, heightMm }) {
  const args = ['-r', String(dpi), '-gray', '-f', String(page), '-l', String(page)];
  if (heightMm) args.push('-x', '0', '-y', '0', '-W', '100000', '-H', String(Math.round((heightMm / 25.4) * dpi)));
  const pgm = execFileSync('pdftoppm', [...args, pdfPath], { maxBuffer: 512 << 20 });
  // P5 <width> <height> 255, one whitespace, then the pixels.
  const header = pgm.subarray(0, 64).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error('pdftoppm did not write a greyscale image');
  const [, width, height] = header.map(Number);
  return { width, height, grey: pgm.subarray(header[0].length) };
}

// Every QR code on the page, as a phone-less decoder reads it from the printed pixels: each found
// code is whited out and the page read again. Returns [{ data, widthMm, pixelsPerModule }].
export function readQrCodes(pdfPath, { page = 1, dpi = 300, heightMm, most = 4 } = {}) {
  const { width, height, grey } = renderGrey(pdfPath, { page, dpi, heightMm });
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey[i];
    rgba[4 * i + 3] = 255;
  }
  const found = [];
  for (let n = 0; n < most; n++) {
    const code = jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' });
    if (!code) break;
    const { topLeftCorner: a, topRightCorner: b, bottomLeftCorner: c, bottomRightCorner: d } = code.location;
    const side = Math.hypot(b.x - a.x, b.y - a.y);
    const modules = 17 + 4 * code.version;
    found.push({ data: code.data, version: code.version, widthMm: (side / dpi) * 25.4, pixelsPerModule: side / modules });
    // White out the code (and a margin) so the next pass finds the next one.
    const pad = side / 8;
    const [x0, x1] = [Math.min(a.x, c.x) - pad, Math.max(b.x, d.x) + pad].map((v) => Math.max(0, Math.min(width, Math.round(v))));
    const [y0, y1] = [Math.min(a.y, b.y) - pad, Math.max(c.y, d.y) + pad].map((v) => Math.max(0, Math.min(height, Math.round(v))));
    for (let y = y0; y < y1; y++) rgba.fill(255, 4 * (y * width + x0), 4 * (y * width + x1));
  }
  return found;
}

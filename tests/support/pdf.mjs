// Looking at printed PDFs as a person would, with Debian's poppler-utils (scripts/lib.sh installs
// them): the text of each page (pdftotext), the pages as PNG images to look at (pdftoppm), and the
// QR codes printed on a page, read with jsQR from the page rendered at a printer's resolution.
import { execFileSync } from 'node:child_process';
import jsQR from 'jsqr';

// The text of every page, in order: laid out as on the page, or (`layout: false`) block by block,
// so text in side-by-side columns stays together.
export function pdfPageTexts(pdfPath, { layout = true } = {}) {
  const args = layout ? ['-layout', pdfPath, '-'] : [pdfPath, '-'];
  const text = execFileSync('pdftotext', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
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

// Every QR code on the page, as a decoder reads it from the printed pixels. jsQR reads one code
// per image and is thrown by two side by side, so windows of `windowMm` square are read across
// the page, overlapping, and what they find is kept once. Returns
// [{ data, version, widthMm, pixelsPerModule }].
export function readQrCodes(pdfPath, { page = 1, dpi = 300, heightMm, windowMm = 50 } = {}) {
  const { width, height, grey } = renderGrey(pdfPath, { page, dpi, heightMm });
  const size = Math.min(Math.round((windowMm / 25.4) * dpi), width, height);
  const step = Math.round(size / 4);
  const starts = (total) => {
    const out = [];
    for (let at = 0; at + size < total; at += step) out.push(at);
    out.push(total - size);
    return out;
  };
  const found = new Map();
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (const top of starts(height)) {
    for (const left of starts(width)) {
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const v = grey[(top + y) * width + left + x];
          const o = 4 * (y * size + x);
          rgba[o] = rgba[o + 1] = rgba[o + 2] = v;
          rgba[o + 3] = 255;
        }
      }
      const code = jsQR(rgba, size, size, { inversionAttempts: 'dontInvert' });
      if (!code || found.has(code.data)) continue;
      const { topLeftCorner: a, topRightCorner: b } = code.location;
      const side = Math.hypot(b.x - a.x, b.y - a.y);
      found.set(code.data, {
        data: code.data,
        version: code.version,
        widthMm: (side / dpi) * 25.4,
        pixelsPerModule: side / (17 + 4 * code.version),
      });
    }
  }
  return [...found.values()];
}

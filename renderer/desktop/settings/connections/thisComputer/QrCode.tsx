/**
 * A QR code drawn as one SVG path from the `qrcode` package's module matrix (no canvas, no
 * markup strings): dark modules on a white card with the standard four-module quiet zone, so
 * cameras read it in the dark theme too. Error correction L: the link is long, and a screen
 * is not a crumpled label; fewer, bigger modules scan more easily.
 */
import { useMemo } from 'react';
import QRCode from 'qrcode';

const QUIET = 4;

export function QrCode({ text, label, className }: { readonly text: string; readonly label: string; readonly className?: string }) {
  const { size, path } = useMemo(() => {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'L' });
    const n = qr.modules.size;
    let d = '';
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) if (qr.modules.get(y, x)) d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
    }
    return { size: n + QUIET * 2, path: d };
  }, [text]);
  return (
    <svg className={`qr${className ? ` ${className}` : ''}`} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

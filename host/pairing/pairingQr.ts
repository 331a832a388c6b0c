/** The pairing QR in three forms: terminal text (CLI), SVG and PNG data URL (desktop UI). */
import QRCode from 'qrcode';

export interface PairingQr {
  /** Unicode half-block rendering for a terminal. */
  readonly terminal: string;
  readonly svg: string;
  readonly pngDataUrl: string;
}

export async function renderPairingQr(link: string): Promise<PairingQr> {
  const [terminal, svg, pngDataUrl] = await Promise.all([
    QRCode.toString(link, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 }),
    QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }),
    QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 4, scale: 6 }),
  ]);
  return { terminal, svg, pngDataUrl };
}

import QRCode from 'qrcode';

/** The bot's login QR content as a PNG data URL, drawn on the server so the page needs no QR library. */
export function loginQrDataUrl(content: string): Promise<string> {
  return QRCode.toDataURL(content, { errorCorrectionLevel: 'M', margin: 1, scale: 5 });
}

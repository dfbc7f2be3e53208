import QRCode from 'qrcode';
import { newTotpSecret, otpauthUrl } from './totp';

/** A new TOTP secret and the 200×200 PNG QR code of its `otpauth://` URL (UserResponse's TOTPQRImage). */
export async function newTotpWithQr(account: string): Promise<{ secret: string; qrPng: Buffer }> {
  const secret = newTotpSecret();
  const qrPng = await QRCode.toBuffer(otpauthUrl(secret, account), { type: 'png', width: 200 });
  return { secret, qrPng };
}

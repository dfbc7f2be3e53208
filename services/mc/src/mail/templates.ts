import type { Mail } from './mailer';

/** Where a request came from, quoted in security mails. */
export interface RequestOrigin {
  readonly ip: string;
  readonly os: string;
  readonly browser: string;
}

/** The welcome mail with the email verification token (the original's wording). */
export function verifyEmailMail(a: {
  to: string;
  name: string;
  token: string;
  url: string;
  mcAddr: string;
  origin: RequestOrigin;
}): Mail {
  const how = a.url
    ? `Click to verify: ${a.url}`
    : `Copy and paste to verify your email:\n\nmcctl --addr ${a.mcAddr} user verifyemail token=${a.token}`;
  return {
    to: a.to,
    subject: 'Welcome to MobiledgeX!',
    text: `Hi ${a.name},

Thanks for creating a MobiledgeX account! You are now one step away from utilizing the power of the edge. Please verify this email account by clicking on the link below. Then you'll be able to login and get started.

${how}

For security, this request was received for ${a.to} from a ${a.origin.os} device using ${a.origin.browser} with IP ${a.origin.ip}. If you are not expecting this email, please ignore this email or contact MobiledgeX support for assistance.

Thanks!
MobiledgeX Team
`,
  };
}

/** The password reset mail; `name`/`token` absent = no account has that address. */
export function passwordResetMail(a: {
  to: string;
  name?: string;
  token?: string;
  url: string;
  mcAddr: string;
  origin: RequestOrigin;
}): Mail {
  const origin = `this request was received from a ${a.origin.os} device using ${a.origin.browser} with IP ${a.origin.ip}`;
  if (a.name === undefined || a.token === undefined)
    return {
      to: a.to,
      subject: 'Password Reset Request',
      text: `Hi,

A password reset request was submitted to MobiledgeX for this email (${a.to}), but no user account is associated with this email. If you submitted a password request recently, perhaps your account is using a different email address. Otherwise, you may ignore this email.

For security, ${origin}.

Thanks!
MobiledgeX Team
`,
    };
  const how = a.url
    ? `Reset your password: ${a.url}`
    : `Copy and paste to set your password:\n\nmcctl --addr ${a.mcAddr} user passwordreset token=${a.token}`;
  return {
    to: a.to,
    subject: 'Password Reset Request',
    text: `Hi ${a.name},

You recently requested to reset your password for your MobiledgeX account. Use the link below to reset it. This password reset is only valid for the next 1 hour.

${how}

For security, ${origin}. If you did not request this password reset, please ignore this email or contact MobiledgeX support for assistance.

Thanks!
MobiledgeX Team
`,
  };
}

/** The one-time password mail of a two-factor login. */
export function otpMail(a: { to: string; name: string; otp: string; validFor: string }): Mail {
  return {
    to: a.to,
    subject: 'One Time Password (OTP) for you MobiledgeX account login',
    text: `Hi ${a.name},

The One Time Password (OTP) for your account login is ${a.otp}.
This OTP is valid for ${a.validFor}.

In case you have not requested for OTP, please contact us at support@mobiledgex.com

Thanks!
MobiledgeX Team
`,
  };
}

/** A plain notice to the operators' address (e.g. a locked account was created). */
export function notifyMail(a: { to: string; subject: string; message: string }): Mail {
  return { to: a.to, subject: a.subject, text: `${a.message}\n` };
}

/** Full gRPC path of UpgradeAccessKey, the one call a key that needs an upgrade may make. */
export const UPGRADE_ACCESS_KEY_METHOD = '/edgeproto.CloudletAccessKeyApi/UpgradeAccessKey';

/**
 * The `msg` steps of the UpgradeAccessKey exchange, as the original sends them:
 * client `verify-only` (first message, whatever its `verify_only`), server `verified`
 * (verify only) / `upgrade-not-needed` / `new-key` (with the private key), client
 * `ack-new-key` once the key is stored, server `commit-complete` once the new public key
 * is committed (so the client does not sign with a key the Controller does not know yet).
 */
export const UPGRADE_MSG = {
  first: 'verify-only',
  verified: 'verified',
  notNeeded: 'upgrade-not-needed',
  newKey: 'new-key',
  ack: 'ack-new-key',
  committed: 'commit-complete',
} as const;

/** Error of a verify-only exchange whose key must still be upgraded (the original's text). */
export const UPGRADE_REQUIRED_MESSAGE = 'access key upgrade required';

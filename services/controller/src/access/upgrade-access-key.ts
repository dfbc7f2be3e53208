import { Code, EdgeError } from '@edge/errors';
import { UPGRADE_MSG, UPGRADE_REQUIRED_MESSAGE, generateAccessKeyPair } from '@edge/accesskey';
import type { edgeproto } from '@edge/proto';
import type { BidiStreamingImpl } from '@edge/rpc';
import type { AccessKeyAuth } from './access-key-auth';

/** The HA role of the secondary CRM (`UpgradeAccessKeyClientMsg.ha_role`); anything else is the primary. */
export const HA_ROLE_SECONDARY = 'secondary';

/**
 * Stores a cloudlet's new CRM access public key and clears its upgrade flag (the primary's
 * or, for `haRole` {@link HA_ROLE_SECONDARY}, the secondary's).
 */
export type CommitAccessKey = (
  key: edgeproto.CloudletKey,
  publicPem: string,
  haRole: string,
) => Promise<void>;

/**
 * `CloudletAccessKeyApi.UpgradeAccessKey` (the original's `AccessKeyServer.UpgradeAccessKey`),
 * behind the access-key auth hook, which lets a key that needs an upgrade call only this:
 * - first client message `verify_only` (Shepherd, cloudlet DME): `verified`, or the error
 *   `access key upgrade required` while the CRM has not upgraded yet;
 * - key does not need an upgrade: `upgrade-not-needed`;
 * - otherwise a new pair is made and the private key sent (`new-key`); once the client
 *   acknowledges that it stored it, the public key is committed and `commit-complete`
 *   sent. Without the ack nothing changes, and the old key stays valid.
 */
export function upgradeAccessKeyHandler(
  auth: AccessKeyAuth,
  commit: CommitAccessKey | undefined,
): BidiStreamingImpl<
  typeof edgeproto.UpgradeAccessKeyClientMsgSchema,
  typeof edgeproto.UpgradeAccessKeyServerMsgSchema
> {
  return async function* upgradeAccessKey(reqs, ctx) {
    const verified = auth.require(ctx);
    const msgs = reqs[Symbol.asyncIterator]();
    const first = await msgs.next();
    if (first.done) return;
    if (first.value.verifyOnly) {
      if (verified.upgradeRequired) throw new EdgeError(Code.FAILED_PRECONDITION, UPGRADE_REQUIRED_MESSAGE);
      yield { msg: UPGRADE_MSG.verified };
      return;
    }
    if (!verified.upgradeRequired) {
      ctx.log.debug({ cloudlet: verified.keyJson }, 'access key upgrade not required');
      yield { msg: UPGRADE_MSG.notNeeded };
      return;
    }
    if (!commit) throw new EdgeError(Code.UNIMPLEMENTED, 'UpgradeAccessKey is not served here');
    const pair = generateAccessKeyPair();
    yield { msg: UPGRADE_MSG.newKey, crmPrivateAccessKey: pair.privatePem };
    // The ack says the CRM stored the new key; without it the old key must stay valid.
    const ack = await msgs.next();
    if (ack.done) {
      ctx.log.info({ cloudlet: verified.keyJson }, 'access key upgrade abandoned before the ack');
      return;
    }
    await commit(verified.key, pair.publicPem, first.value.haRole);
    ctx.log.info(
      { cloudlet: verified.keyJson, haRole: first.value.haRole || 'primary' },
      'access key upgraded',
    );
    yield { msg: UPGRADE_MSG.committed };
  };
}

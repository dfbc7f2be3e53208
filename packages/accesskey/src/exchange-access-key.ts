import type { MessageInitShape } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { createClient } from '@edge/rpc';
import { pushable } from './pushable';
import { accessKeyMetadata } from './sign-access-key';
import { UPGRADE_MSG } from './upgrade-protocol';

/** Options of {@link exchangeAccessKey}. */
export interface AccessKeyExchangeOptions {
  /** The Controller's access API, `host:port`. */
  readonly address: string;
  readonly cloudletKey: MessageInitShape<typeof edgeproto.CloudletKeySchema>;
  /** The private key (PEM) to sign the call with. */
  readonly privatePem: string;
  /** Channel credentials (server TLS); default insecure (tests, dev). */
  readonly credentials?: grpc.ChannelCredentials;
  /** Only check the key (Shepherd, cloudlet DME): fails when it still needs an upgrade. */
  readonly verifyOnly?: boolean;
  /** HA role of a CRM; empty for the primary. */
  readonly haRole?: string;
  /**
   * Stores a new private key durably before it is acknowledged (the Controller only
   * commits the matching public key after the ack). Required unless `verifyOnly`.
   */
  readonly store?: (privatePem: string) => Promise<void>;
  /** Whole exchange; default 30 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** How an exchange ended. */
export interface AccessKeyExchange {
  /** A new key was issued, stored and committed. */
  readonly upgraded: boolean;
  /** The new private key when `upgraded`. */
  readonly privatePem?: string;
}

/**
 * The client side of `CloudletAccessKeyApi.UpgradeAccessKey` (the original's
 * `AccessKeyClient.upgradeAccessKey`): signs the stream with the current key, and when the
 * Controller issues a new key, stores it (`store`), acknowledges, and waits until the
 * Controller has committed the new public key, so that the next call may sign with it.
 *
 * @example
 *   const r = await exchangeAccessKey({ address, cloudletKey, privatePem, store: writeKeyFile });
 *   if (r.upgraded) privatePem = r.privatePem;
 */
export async function exchangeAccessKey(opts: AccessKeyExchangeOptions): Promise<AccessKeyExchange> {
  const client = createClient(edgeproto.CloudletAccessKeyApi, opts.address, {
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  });
  const reqs = pushable<MessageInitShape<typeof edgeproto.UpgradeAccessKeyClientMsgSchema>>();
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    reqs.push({ msg: UPGRADE_MSG.first, verifyOnly: opts.verifyOnly ?? false, haRole: opts.haRole ?? '' });
    const stream = client.upgradeAccessKey(reqs, {
      metadata: accessKeyMetadata(opts.privatePem, opts.cloudletKey),
      signal,
    });
    const replies = stream[Symbol.asyncIterator]();
    const first = await replies.next();
    if (first.done) throw protocolError('the Controller ended the exchange without a reply');
    const newKey = first.value.crmPrivateAccessKey;
    if (opts.verifyOnly || newKey === '') {
      if (opts.verifyOnly && newKey !== '') throw protocolError('verify-only unexpected response');
      reqs.end();
      return { upgraded: false };
    }
    if (!opts.store) throw new TypeError('exchangeAccessKey: a new key was issued but there is no store');
    await opts.store(newKey);
    reqs.push({ msg: UPGRADE_MSG.ack });
    // Wait for commit-complete: until then the Controller does not know the new public key.
    const committed = await replies.next();
    reqs.end();
    if (committed.done)
      throw protocolError('the Controller ended the exchange before committing the new key');
    return { upgraded: true, privatePem: newKey };
  } finally {
    reqs.end();
    client.close();
  }
}

function protocolError(text: string): EdgeError {
  return new EdgeError(Code.UNKNOWN, `access key upgrade: ${text}`);
}

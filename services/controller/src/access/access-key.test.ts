import { rejection as failure } from '@edge/testing';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import {
  generateAccessKeyPair,
  cloudletKeyJson,
  ACCESS_KEY_DATA,
  ACCESS_KEY_SIG,
  accessKeyMetadata,
} from '@edge/accesskey';
import {
  GET_ACCESS_DATA_METHOD,
  UPGRADE_ACCESS_KEY_METHOD,
  verifyAccessKey,
  type LookupCloudlet,
} from './verify-access-key';

const ISSUE_CERT = '/edgeproto.CloudletAccessApi/IssueCert';
const C1 = { organization: 'op', name: 'c1' };
const C1_JSON = '{"organization":"op","name":"c1"}';

type CloudletInit = MessageInitShape<typeof edgeproto.CloudletSchema>;

/** A lookup over fixed cloudlets that records what it was asked. */
function cloudlets(...list: CloudletInit[]): LookupCloudlet & { asked: string[] } {
  const byKey = new Map(list.map((c) => [cloudletKeyJson(c.key ?? {}), create(edgeproto.CloudletSchema, c)]));
  const asked: string[] = [];
  return Object.assign(
    (keyJson: string) => {
      asked.push(keyJson);
      return Promise.resolve(byKey.get(keyJson));
    },
    { asked },
  );
}

const headers = (md: Record<string, string>): Headers => new Headers(md);

describe('access keys', () => {
  const mine = generateAccessKeyPair();
  const other = generateAccessKeyPair();

  it('generates ed25519 pairs in the original PEM encodings', () => {
    expect(mine.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(mine.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPublicKey(mine.publicPem).asymmetricKeyType).toBe('ed25519');
    expect(other.publicPem).not.toBe(mine.publicPem);
  });

  it('signs the cloudlet key JSON exactly as the original sends it', () => {
    const md = accessKeyMetadata(mine.privatePem, C1);
    expect(md[ACCESS_KEY_DATA]).toBe(C1_JSON);
    const sig = Buffer.from(md[ACCESS_KEY_SIG] ?? '', 'base64');
    expect(sig.length).toBe(64);
    expect(verify(null, Buffer.from(C1_JSON), mine.publicPem, sig)).toBe(true);
    expect(accessKeyMetadata(mine.privatePem, { ...C1, federatedOrganization: 'fed' })[ACCESS_KEY_DATA]).toBe(
      '{"organization":"op","name":"c1","federated_organization":"fed"}',
    );
  });

  it('refuses to sign with a key that is not ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(() => accessKeyMetadata(rsa.toString(), C1)).toThrow(
      'access key: want an ed25519 private key, got rsa',
    );
  });

  it('verifies a signed call and returns the cloudlet it comes from', async () => {
    const lookup = cloudlets({ key: C1, crmAccessPublicKey: mine.publicPem });
    const v = await verifyAccessKey(headers(accessKeyMetadata(mine.privatePem, C1)), lookup, ISSUE_CERT);
    expect(v.keyJson).toBe(C1_JSON);
    expect(v.key.organization).toBe('op');
    expect(v.key.name).toBe('c1');
    expect(v.upgradeRequired).toBe(false);
    expect(v.cloudlet.crmAccessPublicKey).toBe(mine.publicPem);
    expect(lookup.asked).toEqual([C1_JSON]);
  });

  it('looks the cloudlet up by canonical key JSON but checks the signature over the bytes sent', async () => {
    const lookup = cloudlets({ key: C1, crmAccessPublicKey: mine.publicPem });
    const spaced = '{ "name": "c1", "organization": "op" }';
    const signed = accessKeyMetadata(mine.privatePem, C1);
    const err = await failure(
      verifyAccessKey(headers({ ...signed, [ACCESS_KEY_DATA]: spaced }), lookup, ISSUE_CERT),
    );
    expect(err.message).toBe('Failed to verify cloudlet access key signature');
    expect(lookup.asked).toEqual([C1_JSON]);
  });

  it('refuses a signature made with another key', async () => {
    const lookup = cloudlets({ key: C1, crmAccessPublicKey: mine.publicPem });
    const err = await failure(
      verifyAccessKey(headers(accessKeyMetadata(other.privatePem, C1)), lookup, ISSUE_CERT),
    );
    expect(err.code).toBe(Code.UNAUTHENTICATED);
    expect(err.message).toBe('Failed to verify cloudlet access key signature');
  });

  it("refuses one cloudlet's signature presented as another's", async () => {
    const lookup = cloudlets(
      { key: C1, crmAccessPublicKey: mine.publicPem },
      { key: { organization: 'op', name: 'c2' }, crmAccessPublicKey: other.publicPem },
    );
    const md = accessKeyMetadata(mine.privatePem, C1);
    md[ACCESS_KEY_DATA] = '{"organization":"op","name":"c2"}';
    const err = await failure(verifyAccessKey(headers(md), lookup, ISSUE_CERT));
    expect(err.message).toBe('Failed to verify cloudlet access key signature');
  });

  it('refuses an unknown cloudlet', async () => {
    const key = { organization: 'op', name: 'nope' };
    const err = await failure(
      verifyAccessKey(headers(accessKeyMetadata(mine.privatePem, key)), cloudlets(), ISSUE_CERT),
    );
    expect(err.code).toBe(Code.UNAUTHENTICATED);
    expect(err.message).toBe(
      'failed to find cloudlet [{"organization":"op","name":"nope"}] to verify access key',
    );
  });

  it('refuses a cloudlet with no public key registered', async () => {
    const lookup = cloudlets({ key: C1 });
    const err = await failure(
      verifyAccessKey(headers(accessKeyMetadata(mine.privatePem, C1)), lookup, ISSUE_CERT),
    );
    expect(err.code).toBe(Code.UNAUTHENTICATED);
    expect(err.message).toBe(`No crm access public key registered for cloudlet [${C1_JSON}]`);
  });

  it('accepts the secondary key when the primary does not match', async () => {
    const md = headers(accessKeyMetadata(mine.privatePem, C1));
    const both = cloudlets({
      key: C1,
      crmAccessPublicKey: other.publicPem,
      secondaryCrmAccessPublicKey: mine.publicPem,
    });
    expect((await verifyAccessKey(md, both, ISSUE_CERT)).keyJson).toBe(C1_JSON);
    const onlySecondary = cloudlets({ key: C1, secondaryCrmAccessPublicKey: mine.publicPem });
    expect((await verifyAccessKey(md, onlySecondary, ISSUE_CERT)).keyJson).toBe(C1_JSON);
  });

  it('reports a bad primary key when there is no secondary to try', async () => {
    const lookup = cloudlets({ key: C1, crmAccessPublicKey: 'garbage' });
    const err = await failure(
      verifyAccessKey(headers(accessKeyMetadata(mine.privatePem, C1)), lookup, ISSUE_CERT),
    );
    expect(err.message).toBe('Failed to decode crm public access key, , No key found in pem string');
  });

  it('allows only UpgradeAccessKey to a key that requires an upgrade', async () => {
    const md = headers(accessKeyMetadata(mine.privatePem, C1));
    const lookup = cloudlets({
      key: C1,
      crmAccessPublicKey: mine.publicPem,
      crmAccessKeyUpgradeRequired: true,
    });
    const err = await failure(verifyAccessKey(md, lookup, ISSUE_CERT));
    expect(err.code).toBe(Code.PERMISSION_DENIED);
    expect(err.message).toBe(`access key requires upgrade, does not allow api call ${ISSUE_CERT}`);
    const v = await verifyAccessKey(md, lookup, UPGRADE_ACCESS_KEY_METHOD);
    expect(v.upgradeRequired).toBe(true);
  });

  it('takes the upgrade flag of the key that matched', async () => {
    const md = headers(accessKeyMetadata(mine.privatePem, C1));
    const lookup = cloudlets({
      key: C1,
      crmAccessPublicKey: other.publicPem,
      crmAccessKeyUpgradeRequired: false,
      secondaryCrmAccessPublicKey: mine.publicPem,
      secondaryCrmAccessKeyUpgradeRequired: true,
    });
    expect((await failure(verifyAccessKey(md, lookup, ISSUE_CERT))).code).toBe(Code.PERMISSION_DENIED);
  });

  it('refuses GetAccessData to EDGEBOX cloudlets', async () => {
    const lookup = cloudlets({
      key: C1,
      crmAccessPublicKey: mine.publicPem,
      platformType: edgeproto.PlatformType.EDGEBOX,
    });
    const md = headers(accessKeyMetadata(mine.privatePem, C1));
    const err = await failure(verifyAccessKey(md, lookup, GET_ACCESS_DATA_METHOD));
    expect(err.code).toBe(Code.PERMISSION_DENIED);
    expect(err.message).toBe('Not allowed to get access data for EDGEBOX platform');
    await expect(verifyAccessKey(md, lookup, ISSUE_CERT)).resolves.toBeDefined();
  });

  it('refuses calls with missing or malformed metadata', async () => {
    const lookup = cloudlets({ key: C1, crmAccessPublicKey: mine.publicPem });
    const md = accessKeyMetadata(mine.privatePem, C1);
    const noData = await failure(
      verifyAccessKey(headers({ [ACCESS_KEY_SIG]: md[ACCESS_KEY_SIG] ?? '' }), lookup, ISSUE_CERT),
    );
    expect(noData.code).toBe(Code.UNAUTHENTICATED);
    expect(noData.message).toBe('error, access-key-data not found in metadata');

    const noSig = await failure(verifyAccessKey(headers({ [ACCESS_KEY_DATA]: C1_JSON }), lookup, ISSUE_CERT));
    expect(noSig.message).toBe('no valid auth found');

    const badJson = await failure(
      verifyAccessKey(headers({ ...md, [ACCESS_KEY_DATA]: 'not json' }), lookup, ISSUE_CERT),
    );
    expect(badJson.code).toBe(Code.UNAUTHENTICATED);
    expect(badJson.message).toMatch(/^failed to unmarshal cloudlet key from metadata, \[not json\], .+/);

    const badB64 = await failure(
      verifyAccessKey(headers({ ...md, [ACCESS_KEY_SIG]: 'abc!' }), lookup, ISSUE_CERT),
    );
    expect(badB64.message).toBe(
      'failed to base64 decode access key signature, illegal base64 data at input byte 3',
    );

    const shortSig = await failure(
      verifyAccessKey(headers({ ...md, [ACCESS_KEY_SIG]: 'AAAA' }), lookup, ISSUE_CERT),
    );
    expect(shortSig.message).toBe('Failed to verify cloudlet access key signature');
  });
});

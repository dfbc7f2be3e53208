import { Code, EdgeError, invalidArgument, notFound, unauthenticated } from '@edge/errors';
import { verifyRs256, rsaPublicKey } from './jwt';

/** Platform apps (cloudcommon platformApps): `<org>:<app>`. */
const PLATFORM_APPS = new Set(['platos:PlatosEnablingLayer']);

/** Whether org/app is a platform app (cloudcommon.IsPlatformApp). */
export function isPlatformApp(org: string, app: string): boolean {
  return PLATFORM_APPS.has(`${org}:${app}`);
}

export interface RegisterInput {
  orgName: string;
  appName: string;
  appVers: string;
  authToken: string;
  uniqueIdType: string;
  uniqueId: string;
}

/**
 * The RegisterClient checks of the original, in its order, with its codes and texts.
 * `authPublicKey` is undefined when the app is unknown. Returns the unique id and type the
 * cookie carries and whether the DME generated them.
 */
export function checkRegister(
  req: RegisterInput,
  authPublicKey: string | undefined,
  newId: () => string,
  nowSec: number,
): { uniqueIdType: string; uniqueId: string; generated: boolean } {
  if (req.orgName === '') throw invalidArgument('OrgName cannot be empty');
  if (req.appName === '') throw invalidArgument('AppName cannot be empty');
  if (req.appVers === '') throw invalidArgument('AppVers cannot be empty');
  if (authPublicKey === undefined) throw notFound('app not found');
  if (req.authToken === '') {
    if (authPublicKey !== '') throw invalidArgument('No authtoken received');
  } else {
    if (authPublicKey === '') throw unauthenticated('No authkey found to validate token');
    try {
      verifyAuthToken(req, authPublicKey, nowSec);
    } catch (err) {
      throw new EdgeError(Code.UNAUTHENTICATED, `failed to verify token - ${(err as Error).message}`);
    }
  }
  if ((req.uniqueId !== '') !== (req.uniqueIdType !== ''))
    throw invalidArgument('Both, or none of UniqueId and UniqueIdType should be set');
  if (req.uniqueId !== '')
    return { uniqueIdType: req.uniqueIdType, uniqueId: req.uniqueId, generated: false };
  const uniqueIdType = isPlatformApp(req.orgName, req.appName)
    ? `${req.orgName}:${req.appName}`
    : 'dme-ksuid';
  return { uniqueIdType, uniqueId: newId(), generated: true };
}

/** The developer-signed RS256 token (claims orgname/appname/appvers) against the App's key. */
function verifyAuthToken(req: RegisterInput, pem: string, nowSec: number): void {
  const key = rsaPublicKey(pem);
  if (!key) throw new Error('unable to parse JWT token');
  const claims = verifyRs256(req.authToken, key, nowSec);
  if (claims['orgname'] !== req.orgName) throw new Error('token organization mismatch');
  if (claims['appname'] !== req.appName) throw new Error('token appname mismatch');
  if (claims['appvers'] !== req.appVers) throw new Error('token appvers mismatch');
}

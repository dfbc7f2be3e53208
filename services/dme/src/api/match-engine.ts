import { create } from '@bufbuild/protobuf';
import { Code, EdgeError, invalidArgument, permissionDenied } from '@edge/errors';
import { dme } from '@edge/proto';
import type { HandlerContext, ServiceImpl } from '@edge/rpc';
import { cookieLocation, type CookieKey, type Cookies } from '../auth/cookies';
import { ksuid } from '../auth/ksuid';
import { checkRegister, isPlatformApp } from '../auth/register';
import { validLocation } from '../match/geo';
import type { Found, Selector } from '../match/select';
import type { DmeTable } from '../state/dme-table';
import type { DmeApp } from '../state/model';
import { DefaultOperator } from '../operator/default-operator';
import type { OperatorApi } from '../operator/operator-api';
import type { EdgeEvents } from '../edge-events';
import type { ApiStats } from './api-stats';
import { FindCloudletQos } from './find-qos';

export interface MatchEngineDeps {
  table: DmeTable;
  selector: Selector;
  cookies: Cookies;
  stats?: ApiStats;
  /** StreamEdgeEvent; none = UNIMPLEMENTED. */
  edgeEvents?: EdgeEvents;
  /** Operator location and QoS APIs; default: the simulated default operator. */
  operator?: OperatorApi;
  /** Token server URI returned by RegisterClient (`-toksrvurl`). */
  tokenServerUri?: string;
  now?: () => number;
  /** Unique ids of registered clients; default KSUIDs. */
  newId?: () => string;
}

const FS = dme.FindCloudletReply_FindStatus;
const appKeyJson = (org: string, name: string, version: string): string =>
  JSON.stringify({ organization: org, name, version });

/** Peer IP of a call (`ipv4:1.2.3.4:5`, `[::1]:5`, `::ffff:1.2.3.4:5` → the address). */
export function peerIp(peer: string): string {
  const p = peer.replace(/^ipv[46]:/, '');
  const bracket = /^\[([^\]]+)\]/.exec(p);
  if (bracket) return bracket[1]!;
  const i = p.lastIndexOf(':');
  const ip = i > 0 ? p.slice(0, i) : p;
  return ip.replace(/^::ffff:/, '');
}

/** The MatchEngineApi handlers (gRPC and REST share them). */
export function matchEngineImpl(d: MatchEngineDeps): ServiceImpl<typeof dme.MatchEngineApi> {
  const now = d.now ?? Date.now;
  const newId = d.newId ?? ((): string => ksuid(now()));

  const session = (cookie: string): CookieKey => d.cookies.verifySession(cookie);
  const appOf = (k: CookieKey): DmeApp | undefined =>
    d.table.apps.get(appKeyJson(k.orgname ?? '', k.appname ?? '', k.appvers ?? ''));
  /** An operator call behind the session check, counted like every other API. */
  const operatorCall =
    <Req extends { sessionCookie: string }, Res>(method: string, call: (req: Req) => Promise<Res>) =>
    async (req: Req): Promise<Res> => {
      const k = session(req.sessionCookie);
      const out = await call(req);
      count(k, method);
      return out;
    };
  const count = (k: CookieKey, method: string, found?: Found, err = false): void =>
    d.stats?.record(k.orgname ?? '', k.appname ?? '', k.appvers ?? '', method, found, err);

  const reply = (f: Found | undefined, loc: dme.Loc | undefined): dme.FindCloudletReply => {
    if (!f)
      return create(dme.FindCloudletReplySchema, {
        status: FS.FIND_NOTFOUND,
        cloudletLocation: {},
        qosResult: dme.FindCloudletReply_QosSessionResult.QOS_NOT_ATTEMPTED,
      });
    const i = f.inst;
    return create(dme.FindCloudletReplySchema, {
      status: FS.FIND_FOUND,
      fqdn: i.uri,
      ports: i.ports,
      cloudletLocation: i.location ?? {},
      edgeEventsCookie: d.cookies.edgeEvents({
        clusterorg: i.clusterOrg,
        clustername: i.clusterName,
        cloudletorg: i.cloudletOrg,
        cloudletname: i.cloudletName,
        location: cookieLocation(loc),
      }),
      qosResult: dme.FindCloudletReply_QosSessionResult.QOS_NOT_ATTEMPTED,
    });
  };

  const checkLoc = (loc: dme.Loc | undefined, missing = 'Missing GpsLocation'): dme.Loc => {
    if (!loc) throw invalidArgument(missing);
    if (!validLocation(loc.latitude, loc.longitude)) throw invalidArgument('Invalid GpsLocation');
    return loc;
  };

  const findFor = (
    org: string,
    name: string,
    version: string,
    carrier: string,
    loc: dme.Loc,
  ): Found | undefined => {
    if (isPlatformApp(org, name)) return undefined;
    const app = d.table.apps.get(appKeyJson(org, name, version));
    if (!app) return undefined;
    return d.selector.find(app, carrier, loc.latitude, loc.longitude, 1)[0];
  };

  const operator = d.operator ?? new DefaultOperator();
  // Only with a QoS session server (the original's -qossesaddr); otherwise FindCloudlet never looks.
  const qos = operator.hasQosSessionServer ? new FindCloudletQos({ operator }) : undefined;

  return {
    registerClient(req, ctx: HandlerContext) {
      const app = d.table.apps.get(appKeyJson(req.orgName, req.appName, req.appVers));
      const id = checkRegister(req, app?.authPublicKey, newId, Math.floor(now() / 1000));
      const cookie = d.cookies.session({
        peerip: peerIp(ctx.peer),
        orgname: req.orgName,
        appname: req.appName,
        appvers: req.appVers,
        uniqueidtype: id.uniqueIdType,
        uniqueid: id.uniqueId,
      });
      d.stats?.record(req.orgName, req.appName, req.appVers, 'RegisterClient', undefined, false);
      return Promise.resolve(
        create(dme.RegisterClientReplySchema, {
          status: dme.ReplyStatus.RS_SUCCESS,
          sessionCookie: cookie,
          tokenServerUri: d.tokenServerUri ?? '',
          ...(id.generated ? { uniqueIdType: id.uniqueIdType, uniqueId: id.uniqueId } : {}),
        }),
      );
    },

    findCloudlet(req) {
      const k = session(req.sessionCookie);
      const loc = checkLoc(req.gpsLocation);
      const f = findFor(k.orgname ?? '', k.appname ?? '', k.appvers ?? '', req.carrierName, loc);
      count(k, 'FindCloudlet', f);
      if (f && qos) return qos.apply(reply(f, loc), d.table.apps.get(f.inst.appKey), req.tags);
      return Promise.resolve(reply(f, loc));
    },

    platformFindCloudlet(req) {
      const k = session(req.sessionCookie);
      if (!isPlatformApp(k.orgname ?? '', k.appname ?? ''))
        throw permissionDenied(`API Not allowed for developer: ${k.orgname ?? ''} app: ${k.appname ?? ''}`);
      if (req.clientToken === '') throw invalidArgument('Missing ClientToken');
      let tok: { Location?: { latitude?: number; longitude?: number }; AppKey?: Record<string, string> };
      try {
        tok = JSON.parse(Buffer.from(req.clientToken, 'base64').toString()) as typeof tok;
        if (typeof tok !== 'object' || tok === null) throw new Error('not an object');
      } catch {
        throw invalidArgument('Invalid ClientToken');
      }
      const ak = tok.AppKey ?? {};
      const org = ak['organization'] ?? '';
      const name = ak['name'] ?? '';
      const version = ak['version'] ?? '';
      if (org === '') throw invalidArgument('OrgName in token cannot be empty');
      if (name === '') throw invalidArgument('AppName in token cannot be empty');
      if (version === '') throw invalidArgument('AppVers in token cannot be empty');
      if (!d.table.apps.has(appKeyJson(org, name, version)))
        throw invalidArgument('Requested app does not exist');
      const lat = tok.Location?.latitude ?? 0;
      const lon = tok.Location?.longitude ?? 0;
      if (!validLocation(lat, lon)) throw invalidArgument('Invalid ClientToken');
      const loc = create(dme.LocSchema, { latitude: lat, longitude: lon });
      const f = findFor(org, name, version, req.carrierName, loc);
      count(k, 'PlatformFindCloudlet', f);
      return Promise.resolve(reply(f, loc));
    },

    getAppInstList(req) {
      const k = session(req.sessionCookie);
      const loc = checkLoc(req.gpsLocation, 'Missing GPS location');
      const out = create(dme.AppInstListReplySchema, { status: dme.AppInstListReply_AIStatus.AI_SUCCESS });
      const app = appOf(k);
      const list = app
        ? d.selector.find(app, req.carrierName, loc.latitude, loc.longitude, req.limit || 3)
        : [];
      const byCloudlet = new Map<string, dme.CloudletLocation>();
      for (const f of list) {
        const i = f.inst;
        let cl = byCloudlet.get(i.cloudletKey);
        if (!cl) {
          cl = create(dme.CloudletLocationSchema, {
            carrierName: i.cloudletOrg,
            cloudletName: i.cloudletName,
            gpsLocation: i.location ?? {},
            distance: f.distance,
          });
          byCloudlet.set(i.cloudletKey, cl);
          out.cloudlets.push(cl);
        }
        cl.appinstances.push(
          create(dme.AppinstanceSchema, {
            appName: k.appname ?? '',
            appVers: k.appvers ?? '',
            orgName: k.orgname ?? '',
            fqdn: i.uri,
            ports: i.ports,
            edgeEventsCookie: d.cookies.edgeEvents({
              clusterorg: i.clusterOrg,
              clustername: i.clusterName,
              cloudletorg: i.cloudletOrg,
              cloudletname: i.cloudletName,
              location: cookieLocation(loc),
            }),
          }),
        );
      }
      count(k, 'GetAppInstList');
      return Promise.resolve(out);
    },

    getFqdnList(req) {
      const k = session(req.sessionCookie);
      if (!isPlatformApp(k.orgname ?? '', k.appname ?? ''))
        throw permissionDenied(`API Not allowed for developer: ${k.orgname ?? ''} app: ${k.appname ?? ''}`);
      const out = create(dme.FqdnListReplySchema, { status: dme.FqdnListReply_FLStatus.FL_SUCCESS });
      for (const a of d.table.apps.values()) {
        if (isPlatformApp(a.org, a.name) || a.officialFqdn === '') continue;
        out.appFqdns.push(
          create(dme.AppFqdnSchema, {
            appName: a.name,
            appVers: a.version,
            orgName: a.org,
            fqdns: a.officialFqdn.split(','),
            androidPackageName: a.androidPackageName,
          }),
        );
      }
      count(k, 'GetFqdnList');
      return Promise.resolve(out);
    },

    getAppOfficialFqdn(req) {
      const k = session(req.sessionCookie);
      const loc = checkLoc(req.gpsLocation);
      const out = create(dme.AppOfficialFqdnReplySchema, {
        status: dme.AppOfficialFqdnReply_AOFStatus.AOF_FAIL,
      });
      const app = appOf(k);
      count(k, 'GetAppOfficialFqdn');
      if (!app) return Promise.resolve(out);
      out.appOfficialFqdn = app.officialFqdn;
      if (app.officialFqdn === '') return Promise.resolve(out);
      // Same JSON shape as the original's ClientToken{Location, AppKey}.
      const token = {
        Location: { latitude: loc.latitude, longitude: loc.longitude },
        AppKey: { organization: app.org, name: app.name, version: app.version },
      };
      out.clientToken = Buffer.from(JSON.stringify(token)).toString('base64');
      out.status = dme.AppOfficialFqdnReply_AOFStatus.AOF_SUCCESS;
      out.ports = app.ports;
      return Promise.resolve(out);
    },

    addUserToGroup(req) {
      session(req.sessionCookie);
      return Promise.resolve(create(dme.DynamicLocGroupReplySchema, { status: dme.ReplyStatus.RS_SUCCESS }));
    },

    async verifyLocation(req) {
      const k = session(req.sessionCookie);
      const loc = req.gpsLocation;
      // The original treats 0,0 as missing too.
      if (!loc || (loc.latitude === 0 && loc.longitude === 0)) throw invalidArgument('Missing GPS location');
      if (!validLocation(loc.latitude, loc.longitude)) throw invalidArgument('Invalid GpsLocation');
      const out = await operator.verifyLocation(req);
      count(k, 'VerifyLocation');
      return out;
    },

    getLocation: operatorCall('GetLocation', (req) => operator.getLocation(req)),

    qosPrioritySessionCreate: operatorCall('QosPrioritySessionCreate', (req) =>
      operator.createQosSession(req),
    ),

    qosPrioritySessionDelete: operatorCall('QosPrioritySessionDelete', (req) =>
      operator.deleteQosSession(req),
    ),

    async *getQosPositionKpi(req) {
      const k = session(req.sessionCookie);
      const out = await operator.qosPositionKpi(req);
      count(k, 'GetQosPositionKpi');
      yield out;
    },
    streamEdgeEvent:
      d.edgeEvents?.handler(d.cookies) ??
      // eslint-disable-next-line require-yield
      async function* () {
        throw new EdgeError(Code.UNIMPLEMENTED, 'StreamEdgeEvent is not implemented by this DME yet');
      },
  };
}

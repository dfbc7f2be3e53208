import { isIPv4 } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { Code, EdgeError, invalidArgument } from '@edge/errors';
import { silentLogger, type Logger } from '@edge/log';
import { dme } from '@edge/proto';
import { operatorProfile, protocolName, protoProfile, sessionsPath } from './qos-profile';

export interface QosSessionClientOptions {
  /** Base URL of the operator's QoS session server (`--qosSesAddr`), e.g. `http://host:8081`. */
  qosSesAddr: string;
  /** Sent as the `Authorization` header when set (the original read it from Vault). */
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  log?: Logger;
}

/** Session as the QoS server answers it. */
interface SessionBody {
  duration?: number;
  qos?: string;
  id?: string;
  startedAt?: number;
  expiresAt?: number;
}

interface Answer {
  status: number;
  text: string;
}

/**
 * Client of an operator QoS priority session server: `POST <addr>/5g-{latency|throughput}/sessions/`
 * creates, `DELETE …/sessions/<id>` deletes. A 409 for an existing flow is resolved as the original:
 * the same profile is kept, another one is deleted and the session created again.
 */
export class QosSessionClient {
  private readonly log: Logger;
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly opts: QosSessionClientOptions) {
    this.log = (opts.log ?? silentLogger()).child({ component: 'operator-qos' });
    this.fetch = opts.fetch ?? fetch;
    this.base = opts.qosSesAddr.replace(/\/+$/, '');
  }

  async create(req: dme.QosPrioritySessionCreateRequest): Promise<dme.QosPrioritySessionReply> {
    if (!isIPv4(req.ipUserEquipment))
      throw invalidArgument(`Invalid Address for IpUserEquipment: ${req.ipUserEquipment}`);
    if (!isIPv4(req.ipApplicationServer))
      throw invalidArgument(`Invalid Address for IpApplicationServer: ${req.ipApplicationServer}`);
    const qos = this.profileName(req.profile);
    const url = this.url(qos);
    const body = JSON.stringify({
      duration: req.sessionDuration,
      ueAddr: req.ipUserEquipment,
      asAddr: req.ipApplicationServer,
      uePorts: req.portUserEquipment,
      asPorts: req.portApplicationServer,
      protocolIn: protocolName(req.protocolIn),
      protocolOut: protocolName(req.protocolOut),
      qos,
      notificationUri: req.notificationUri,
      notificationAuthToken: req.notificationAuthToken,
    });
    let a = await this.send('POST', url, body);
    if (a.status === 409 && a.text.startsWith('Found session'))
      a = await this.resolveConflict(a, url, qos, body);
    return this.reply(a);
  }

  async delete(req: dme.QosPrioritySessionDeleteRequest): Promise<dme.QosPrioritySessionDeleteReply> {
    const qos = this.profileName(req.profile);
    const a = await this.send(
      'DELETE',
      `${this.url(qos)}${encodeURIComponent(req.sessionId)}`,
      JSON.stringify({ qos }),
    );
    const r = this.reply(a);
    const S = dme.QosPrioritySessionDeleteReply_DeleteStatus;
    return create(dme.QosPrioritySessionDeleteReplySchema, {
      status:
        r.httpStatus === 404 ? S.QDEL_NOT_FOUND : r.httpStatus === 204 ? S.QDEL_DELETED : S.QDEL_UNKNOWN,
    });
  }

  private profileName(p: dme.QosSessionProfile): string {
    if (p === dme.QosSessionProfile.QOS_NO_PRIORITY)
      throw invalidArgument('Operation not permitted with profileName QOS_NO_PRIORITY');
    const name = operatorProfile(p);
    if (!name) throw invalidArgument('Received invalid profileName ');
    return name;
  }

  private url(qos: string): string {
    const path = sessionsPath(qos);
    if (!path) throw invalidArgument(`Received invalid profileName ${qos}`);
    return `${this.base}${path}`;
  }

  /** `Found session <id> already active until …`: keep it if its profile matches, else replace it. */
  private async resolveConflict(conflict: Answer, url: string, qos: string, body: string): Promise<Answer> {
    const id = conflict.text.split(' ')[2];
    if (!id) throw new EdgeError(Code.UNKNOWN, `Could not parse response: ${conflict.text}`);
    const got = await this.send('GET', `${url}${id}`);
    if (got.status !== 200) return got;
    const existing = this.parse(got.text);
    if (existing.qos === qos) {
      this.log.debug('requested QoS session exists already, keeping it');
      return got;
    }
    const del = await this.send('DELETE', `${this.url(existing.qos ?? '')}${id}`);
    if (del.status !== 204)
      throw new EdgeError(Code.UNKNOWN, `Failed to delete existing QOS session: Error code: ${del.status}`);
    return this.send('POST', url, body);
  }

  private reply(a: Answer): dme.QosPrioritySessionReply {
    const out = create(dme.QosPrioritySessionReplySchema, { httpStatus: a.status });
    if (a.status === 201 || a.status === 200) {
      const s = this.parse(a.text);
      const profile = protoProfile(s.qos ?? '');
      if (profile === undefined)
        throw new EdgeError(Code.UNKNOWN, `unknown QoS profile ${s.qos ?? ''} in reply`);
      out.profile = profile;
      out.sessionDuration = s.duration ?? 0;
      out.sessionId = s.id ?? '';
      out.startedAt = s.startedAt ?? 0;
      out.expiresAt = s.expiresAt ?? 0;
      return out;
    }
    if (a.status === 204 || a.status === 404) return out;
    if (a.status === 400) throw invalidArgument(a.text.trim());
    throw new EdgeError(Code.UNKNOWN, `API call received unknown status: ${a.status}`);
  }

  private parse(text: string): SessionBody {
    try {
      const s = JSON.parse(text) as unknown;
      if (typeof s !== 'object' || s === null) throw new Error('not an object');
      return s as SessionBody;
    } catch (err) {
      throw new EdgeError(Code.UNKNOWN, 'cannot parse QoS session server reply', { cause: err });
    }
  }

  private async send(method: string, url: string, body?: string): Promise<Answer> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.opts.apiKey) headers['authorization'] = this.opts.apiKey;
    try {
      const res = await this.fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      const a = { status: res.status, text: await res.text() };
      this.log.debug({ method, status: a.status }, 'QoS session server answered');
      return a;
    } catch (err) {
      this.log.warn({ err, method }, 'QoS session request failed');
      throw new EdgeError(Code.UNAVAILABLE, 'QoS session server unreachable', { cause: err });
    }
  }
}

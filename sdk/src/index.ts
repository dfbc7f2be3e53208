// The browser-safe SDK: no Node-only module is loaded from here. Node apps that want gRPC
// (and edge events) or the TCP latency tester import `@edge/sdk/src/node` instead.
export { DmeError, codeForHttp } from './dme-error';
export { MatchingEngine, type MatchingEngineOptions } from './matching-engine';
export { createRestTransport, restPath, type RestTransportOptions } from './rest-transport';
export type {
  MatchEngineApi,
  ReplyOf,
  RequestOf,
  Transport,
  TransportCallOptions,
  UnaryMethod,
} from './transport';
export { EdgeEventsSession, type EdgeEventsOptions } from './edge-events/session';
export type { EdgeEvent, EdgeEventMap, LatencyTester } from './edge-events/events';
export { toLoc, toTimestamp, type LocationInput } from './location';
export { endpointOf, firstTcpEndpoint, type Endpoint } from './ports';
export { quietLogger, type SdkLogger } from './logger';
export { dme } from './proto';

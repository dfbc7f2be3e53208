export { addService } from './server';
export { createClient, isClient, type ClientOptions } from './client';
export type {
  BidiStreamingFn,
  CallOptions,
  Client,
  ClientMethod,
  ClientStreamingFn,
  ServerStreamingFn,
  UnaryFn,
} from './client-types';
export { metadataInterceptor, traceInterceptor } from './client-interceptors';
export { peerCommonName, timeRemaining, type HandlerContext } from './context';
export {
  clientTls,
  insecureClient,
  insecureServer,
  loadClientTls,
  loadServerTls,
  serverTls,
  type ClientTlsFiles,
  type ClientTlsPem,
  type ServerTlsFiles,
  type ServerTlsPem,
} from './credentials';
export { createJsonGateway, type GatewayOptions, type HttpHandler } from './gateway/gateway';
export { implFromClient } from './gateway/client-backend';
export {
  gatewayPath,
  httpPostPath,
  type HttpRuleExtension,
  type HttpRuleLike,
  type PathSource,
} from './gateway/http-path';
export { grpcMethodDefinition, grpcServiceDefinition, methodPath, preEncoded } from './grpc-definition';
export { routeGrpcLogs } from './grpc-logger';
export { authInterceptor, type AuthHook, type Next, type ServerInterceptor } from './interceptor';
export { loggingInterceptor } from './logging-interceptor';
export type { ServeOptions } from './pipeline';
export { createServer, listen, type Listening } from './listen';
export type {
  AnyImpl,
  BidiStreamingImpl,
  ClientStreamingImpl,
  MethodImpl,
  ServerStreamingImpl,
  ServiceImpl,
  UnaryImpl,
} from './service-types';

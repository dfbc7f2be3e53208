// The Node entry: everything of the browser entry plus the gRPC transport (grpc-js) and the
// TCP latency tester.
export * from './index';
export { createGrpcTransport, type GrpcTransportOptions } from './grpc-transport';
export { tcpConnectTime, tcpLatencyTester, type TcpLatencyOptions } from './tcp-latency';

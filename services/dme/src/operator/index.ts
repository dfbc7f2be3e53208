export type { OperatorApi } from './operator-api';
export { DefaultOperator, NO_QOS_SERVER, SIMULATED_DEVICE_LOCATION } from './default-operator';
export { HttpOperator, createOperatorApi, type HttpOperatorOptions } from './http-operator';
export { LocationClient, type LocationClientOptions } from './http-location';
export { QosSessionClient, type QosSessionClientOptions } from './http-qos-sessions';
export {
  LocationResultCode,
  locationResult,
  resultCodeForDistance,
  type LocationResult,
} from './location-result';
export { simulatedQosPositionKpi } from './simulated-qos-kpi';

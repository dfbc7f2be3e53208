export { LocApiSim, INVALID_TOKEN_MESSAGE, matchingDegreeForDistance } from './loc-api-sim';
export type {
  LocApiSimOptions,
  LocationRequestMessage,
  LocationResponseMessage,
  SimLoc,
} from './loc-api-sim';
export { QosSessionSim, MAX_SESSION_SECONDS } from './qos-session-sim';
export type { QosSessionCommon, QosSessionResponse, QosSessionSimOptions } from './qos-session-sim';
export { decodeToken, generateToken, DEFAULT_TOKEN_VALID_SECONDS } from './token';

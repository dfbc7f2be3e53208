export { Code, codeName, httpStatus, isCode } from './code';
export {
  EdgeError,
  INTERNAL_MESSAGE,
  alreadyExists,
  failedPrecondition,
  invalidArgument,
  notFound,
  permissionDenied,
  unauthenticated,
} from './edge-error';

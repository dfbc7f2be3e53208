export {
  startRegistration,
  type BuildInfo,
  type Registration,
  type RegistrationOptions,
} from './controller-registration';

export { createCa, type CaOptions, type CertificateAuthority } from './ca';
export {
  issueClientCert,
  issueServerCert,
  type ClientCertOptions,
  type IssuedCert,
  type ServerCertOptions,
} from './issue';
export { writePem, type PemPair, type WrittenPair } from './write';

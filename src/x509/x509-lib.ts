// The one door to @peculiar/x509. It resolves its algorithm registry through tsyringe,
// which needs the reflect-metadata polyfill loaded first; ES modules evaluate their
// imports in order, so importing it here, above the library, guarantees that for every
// module that goes through this file. Nothing else in keyceremony imports @peculiar/x509.
//
// We never use the library's global crypto provider or its defaults (random serial,
// one-year validity, SHA-256): every call passes the crypto object, dates and algorithms.
import 'reflect-metadata';

export {
  AsnEcSignatureFormatter,
  Extension,
  Name,
  Pkcs10CertificateRequestGenerator,
  X509Certificate,
  X509Certificates,
  X509CrlGenerator,
  X509CrlReason,
} from '@peculiar/x509';

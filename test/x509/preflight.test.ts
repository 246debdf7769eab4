// The pure checks validate/plan/run can make before anyone signs in: does a profile fit the
// step's operation and its keys, where does its validity stand against the issuer's, and is
// a CRL period allowed. No HSM: the profiles are the shipped ones.
import t from 'tap';
import { crlPeriodProblem } from '../../src/x509/crl-lint.js';
import { checkProfileAgainstKey, preflightProfile, profileKindProblem } from '../../src/x509/preflight.js';
import { profileNotAfter, validityAgainstIssuer } from '../../src/x509/validity.js';
import { profile } from '../helpers/x509.js';

const root = profile('root-ca');
const sub = profile('subordinate-ca');
const ocsp = profile('ocsp-responder');
const ee = profile('end-entity');
const GRCA_G3_END = new Date('2049-12-31T15:59:59Z');

t.test('profile kind against the operation', async (t) => {
  t.equal(profileKindProblem(root, 'self-signed certificate'), undefined);
  t.equal(profileKindProblem(sub, 'issued certificate'), undefined);
  t.equal(profileKindProblem(ocsp, 'issued certificate'), undefined);
  t.equal(profileKindProblem(ee, 'issued certificate'), undefined);
  t.equal(profileKindProblem(sub, 'self-signed certificate'), 'is a subordinate-ca profile; a self-signed certificate needs a root-ca profile');
  t.equal(profileKindProblem(root, 'link certificate'), 'is a root-ca profile; a link certificate needs a link-ca profile');
});

t.test('profile against the issuer key and the subject key', async (t) => {
  t.same(checkProfileAgainstKey(sub, { type: 'RSA', bits: 4096 }, 'issuer'), []);
  t.same(checkProfileAgainstKey(root, { type: 'EC', curve: 'P-384' }, 'issuer'), [], 'the root profile signs with SHA-384 on P-384');
  t.match(checkProfileAgainstKey(sub, { type: 'EC', curve: 'P-384' }, 'issuer'), [
    'does not allow an EC issuer key such as EC P-384 (signature.ec is not set)',
  ]);
  t.match(checkProfileAgainstKey(root, { type: 'EC', curve: 'P-256' }, 'issuer'), [
    'signs with SHA-384, but an issuer key on P-256 signs with SHA-256 (BR §7.1.3.2.2)',
  ]);
  t.same(checkProfileAgainstKey(sub, { type: 'RSA', bits: 2048 }, 'subject'), []);
  t.same(checkProfileAgainstKey(ee, { type: 'EC', curve: 'P-256' }, 'subject'), [], 'digitalSignature and nonRepudiation fit an EC key');
  const agreeing = {
    ...ee,
    extensions: ee.extensions.map((e) => (e.type === 'keyUsage' ? { ...e, usages: ['digitalSignature', 'keyEncipherment'] as typeof e.usages } : e)),
  };
  t.match(checkProfileAgainstKey(agreeing, { type: 'EC', curve: 'P-256' }, 'subject'), [
    'asks keyUsage keyEncipherment of a EC P-256 key, which it cannot have (RFC 5480 §3)',
  ]);
  t.same(checkProfileAgainstKey(agreeing, { type: 'RSA', bits: 2048 }, 'subject'), [], 'keyEncipherment fits RSA');
});

t.test("validity against the issuer's: the stand-in GRCA G3 root ends 2049-12-31", async (t) => {
  t.equal(profileNotAfter(root, new Date('2026-12-04T00:00:00Z')).toISOString(), GRCA_G3_END.toISOString(), 'the root profile gives a fixed notAfter');
  const early = validityAgainstIssuer(sub, new Date('2029-12-30T15:00:00Z'), GRCA_G3_END);
  t.same(early, { notAfter: new Date('2049-12-30T15:59:59Z'), capped: false, refused: false }, 'issued before 2029-12-31 Taipei: twenty years fit');
  const late = validityAgainstIssuer(sub, new Date('2030-06-01T00:00:00Z'), GRCA_G3_END);
  t.same(late, { notAfter: GRCA_G3_END, capped: true, refused: false }, 'issued after: capped at the root (limitToIssuer: cap)');
  const refusing = { ...sub, validity: { ...sub.validity, limitToIssuer: 'refuse' as const } };
  t.same(validityAgainstIssuer(refusing, new Date('2030-06-01T00:00:00Z'), GRCA_G3_END), {
    notAfter: new Date('2050-06-01T15:59:59Z'),
    capped: false,
    refused: true,
  });
});

t.test('CRL period: after thisUpdate, at most 365 days (BR §4.9.7)', async (t) => {
  const thisUpdate = new Date('2026-12-04T00:00:00Z');
  const days = (n: number) => new Date(thisUpdate.getTime() + n * 86_400_000);
  t.equal(crlPeriodProblem(thisUpdate, days(365)), undefined);
  t.match(
    crlPeriodProblem(thisUpdate, days(366)),
    /^nextUpdate 2027-12-05.* is 366 days after thisUpdate; a CA's CRL may run at most 365 days \(BR §4\.9\.7\)$/,
  );
  t.match(crlPeriodProblem(thisUpdate, thisUpdate), 'is not after thisUpdate');
});

t.test('preflightProfile: one call for validate/plan/run', async (t) => {
  const rsa4096 = { type: 'RSA', bits: 4096 } as const;
  t.same(
    preflightProfile(root, { operation: 'self-signed certificate', issuerKey: rsa4096, subjectKey: rsa4096 }),
    [],
    'the stand-in GRCA G3 root on RSA-4096',
  );
  t.same(
    preflightProfile(sub, {
      operation: 'issued certificate',
      issuerKey: rsa4096,
      subjectKey: rsa4096,
      notBefore: new Date('2030-06-01T00:00:00Z'),
      issuerNotAfter: GRCA_G3_END,
    }),
    [],
    'capped, not refused',
  );
  const refusing = { ...sub, validity: { ...sub.validity, limitToIssuer: 'refuse' as const } };
  t.same(
    preflightProfile(refusing, {
      operation: 'self-signed certificate',
      issuerKey: { type: 'EC', curve: 'P-384' },
      subjectKey: rsa4096,
      notBefore: new Date('2030-06-01T00:00:00Z'),
      issuerNotAfter: GRCA_G3_END,
    }),
    [
      'is a subordinate-ca profile; a self-signed certificate needs a root-ca profile',
      'does not allow an EC issuer key such as EC P-384 (signature.ec is not set)',
      "gives notAfter 2050-06-01 15:59:59Z, after the issuer's notAfter 2049-12-31 15:59:59Z, and says limitToIssuer: refuse",
    ],
  );
});

// What counts as a software token (issue 16): SoftHSM and NSS softoken, by what the module
// and its tokens report (as the journal header records them); a hardware HSM does not.
import t from 'tap';
import { softwareTokenName } from '../../src/hsm/software-token.js';

t.test('SoftHSM and NSS softoken are known by their module or their tokens; an HSM is not', async (t) => {
  t.equal(softwareTokenName({ manufacturer: 'SoftHSM project', model: 'SoftHSM v2' }), 'SoftHSM', 'a SoftHSM token');
  t.equal(
    softwareTokenName({ manufacturer: 'SoftHSM', description: 'Implementation of PKCS11' }),
    'SoftHSM',
    'the SoftHSM module alone (a blank token to initialise)',
  );
  t.equal(softwareTokenName({ manufacturer: 'Mozilla Foundation', model: 'NSS 3' }), 'NSS softoken', 'an NSS softoken token');
  t.equal(softwareTokenName({ manufacturer: 'Mozilla Foundation', description: 'NSS Internal Crypto Services' }), 'NSS softoken', 'the NSS module');
  t.equal(softwareTokenName({ manufacturer: 'Mozilla Foundation', model: 'Something else' }), undefined, 'Mozilla alone is not enough');
  t.equal(softwareTokenName({ manufacturer: 'Safenet, Inc.', model: 'LunaSA 7' }, { manufacturer: 'SafeNet', description: 'Chrystoki' }), undefined);
  t.equal(softwareTokenName({ manufacturer: 'Utimaco IS GmbH', model: 'CryptoServer' }), undefined);
  t.equal(softwareTokenName(), undefined, 'nothing known, nothing said');
  t.equal(softwareTokenName({ manufacturer: 'Utimaco IS GmbH' }, { model: 'SoftHSM v2' }), 'SoftHSM', 'any one of the facts is enough');
});

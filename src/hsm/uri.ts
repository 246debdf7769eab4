// PKCS#11 URIs (RFC 7512) for tokens and keys, used in messages and the journal:
//   pkcs11:token=HCA;object=HCA-G3;id=%3a%01;type=private
// PIN attributes (pin-value, pin-source) are refused outright: a PIN never goes in a URI.
import { InputError } from '../errors.js';

export interface Pkcs11Uri {
  token?: string;
  manufacturer?: string;
  serial?: string;
  model?: string;
  object?: string;
  /** CKA_ID as lower-case hex. */
  id?: string;
  type?: 'private' | 'public' | 'cert' | 'secret-key' | 'data';
}

const PATH_ORDER = ['token', 'manufacturer', 'serial', 'model', 'object', 'id', 'type'] as const;
const TYPES = new Set(['private', 'public', 'cert', 'secret-key', 'data']);
// RFC 7512 p-pchar: unreserved / pct-encoded / ":" / "[" / "]" / "@" / "!" / "$" / "'" / "(" / ")" / "*" / "+" / "," / "="
const SAFE = /[A-Za-z0-9\-._~:[\]@!$'()*+,=]/;

function encodeBytes(bytes: Uint8Array, keepSafe: boolean): string {
  let out = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += keepSafe && byte < 0x80 && SAFE.test(ch) ? ch : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function formatPkcs11Uri(uri: Pkcs11Uri): string {
  const parts: string[] = [];
  for (const key of PATH_ORDER) {
    const value = uri[key];
    if (value === undefined) continue;
    // The id is binary: always percent-encode every byte, as RFC 7512 examples do.
    const encoded = key === 'id' ? encodeBytes(Buffer.from(value, 'hex'), false) : encodeBytes(Buffer.from(value, 'utf8'), true);
    parts.push(`${key}=${encoded}`);
  }
  return `pkcs11:${parts.join(';')}`;
}

export function parsePkcs11Uri(text: string): Pkcs11Uri {
  if (!text.startsWith('pkcs11:')) throw new InputError(`not a PKCS#11 URI (must start with "pkcs11:"): ${text}`, { code: 'uri.scheme' });
  const [path = '', query] = text.slice('pkcs11:'.length).split('?', 2);
  if (query !== undefined && /(^|&)pin-(value|source)=/.test(query)) {
    throw new InputError('a PKCS#11 URI must not carry a PIN (pin-value or pin-source)', {
      hint: 'PINs are rebuilt from a quorum of shares, never written down',
      code: 'uri.pin',
    });
  }
  const uri: Pkcs11Uri = {};
  if (path === '') return uri;
  for (const attribute of path.split(';')) {
    const eq = attribute.indexOf('=');
    if (eq < 1) throw new InputError(`malformed PKCS#11 URI attribute "${attribute}"`, { code: 'uri.attribute' });
    const key = attribute.slice(0, eq);
    const raw = attribute.slice(eq + 1);
    if (!(PATH_ORDER as readonly string[]).includes(key)) {
      throw new InputError(`unsupported PKCS#11 URI attribute "${key}"`, { hint: `use ${PATH_ORDER.join(', ')}`, code: 'uri.attribute' });
    }
    if (key in uri) throw new InputError(`PKCS#11 URI attribute "${key}" appears twice`, { code: 'uri.duplicate' });
    const bytes = decodePercent(raw, key);
    if (key === 'id') uri.id = bytes.toString('hex');
    else if (key === 'type') {
      const type = bytes.toString('utf8');
      if (!TYPES.has(type)) throw new InputError(`PKCS#11 URI type "${type}" is not one of ${[...TYPES].join(', ')}`, { code: 'uri.type' });
      uri.type = type as Pkcs11Uri['type'];
    } else uri[key as 'token'] = bytes.toString('utf8');
  }
  return uri;
}

function decodePercent(raw: string, key: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new InputError(`bad percent-encoding in PKCS#11 URI attribute "${key}"`, { code: 'uri.encoding' });
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes);
}

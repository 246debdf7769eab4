// openssl as the independent checker of what keyceremony produces.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from './softhsm.js';

/** Raw ECDSA r||s (what PKCS#11 returns) as the DER SEQUENCE openssl expects. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let value = bytes.subarray(i);
    if (value[0]! & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02, value.length]), value]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  const length = body.length < 128 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), length, body]);
}

/** Writes files into a temp dir, runs openssl there, removes the dir. */
export async function openssl(args: (dir: string) => string[], files: Record<string, string | Buffer> = {}, input?: string): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kc-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return await run('openssl', args(dir), input === undefined ? {} : { input });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pem(label: string, der: Buffer): string {
  const body = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

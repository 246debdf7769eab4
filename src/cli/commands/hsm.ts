// `keyceremony hsm info --hsm <profile>`: what the PKCS#11 module and the profile's tokens
// look like, and whether the mechanisms keyceremony needs are there. No login, no PIN.
import { InputError } from '../../errors.js';
import { HsmError } from '../../hsm/hsm-error.js';
import { loadHsmProfile } from '../../hsm/profile.js';
import type { TokenInfo } from '../../hsm/types.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { openProfileModule } from '../profile-module.js';
import { println, type CliIo } from '../io.js';

const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');

function pinLine(token: TokenInfo): string {
  const p = token.pin;
  return (
    `user PIN initialised ${yesNo(p.userPinInitialized)}, count low ${yesNo(p.userPinCountLow)}, final try ${yesNo(p.userPinFinalTry)}, locked ${yesNo(p.userPinLocked)}; ` +
    `SO PIN count low ${yesNo(p.soPinCountLow)}, final try ${yesNo(p.soPinFinalTry)}, locked ${yesNo(p.soPinLocked)}`
  );
}

/** The profile's module, loaded as `run` loads it: a pinned module is checked before it is loaded. */
export async function command(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check') return (await import('./hsm-check.js')).check(rest, io);
  if (sub !== 'info') throw new InputError(`hsm: unknown subcommand "${sub ?? ''}"`, { hint: 'use `keyceremony hsm info --hsm <profile.yaml>` or `keyceremony hsm check <definition.yaml> --hsm <profile.yaml>`' });
  const { values } = parseCommandArgs('hsm info', rest, { hsm: { type: 'string' } }, []);
  const profile = loadHsmProfile(requireOption('hsm info', values.hsm, 'hsm'));
  const hsm = openProfileModule(profile);
  try {
    const m = hsm.module;
    println(io.stdout, `module    ${m.path}`);
    println(io.stdout, `          SHA-256 ${m.sha256}${profile.moduleSha256 ? ' (as the profile pins)' : ''}`);
    println(io.stdout, `          ${m.manufacturer}, ${m.description}, library ${m.libraryVersion}, Cryptoki ${m.cryptokiVersion}`);
    println(io.stdout, `profile   ${profile.file}${profile.dryRun ? ' (dry run: rehearsal tokens only)' : ''}`);
    const missing: string[] = [];
    const ambiguous: string[] = [];
    for (const [name, ref] of Object.entries(profile.tokens)) {
      let token: TokenInfo;
      try {
        token = hsm.findToken(ref.label, ref.serial);
      } catch (error) {
        if (!(error instanceof HsmError)) throw error;
        if (error.code === 'hsm.token-ambiguous') {
          // The tokens are there, but `run` cannot tell which one is meant: not "not present".
          const matching = hsm.tokens().filter((t) => t.initialized && t.label === ref.label && (ref.serial === undefined || t.serial === ref.serial));
          println(io.stdout, `token     ${name}: label "${ref.label}" COLLISION: ${matching.length} tokens have this label (serials ${matching.map((t) => t.serial).join(', ')})`);
          ambiguous.push(name);
        } else {
          println(io.stdout, `token     ${name}: label "${ref.label}" NOT PRESENT`);
          missing.push(name);
        }
        continue;
      }
      println(io.stdout, `token     ${name}: label "${token.label}", serial ${token.serial}, ${token.manufacturer} ${token.model}, firmware ${token.firmware}`);
      println(io.stdout, `          ${pinLine(token)}; PIN length ${token.minPinLength}..${token.maxPinLength}`);
      const mechanisms = hsm.mechanisms(token.label, ref.serial);
      const absent = mechanisms.filter((mech) => !mech.supported);
      println(
        io.stdout,
        absent.length === 0
          ? `          mechanisms: all ${mechanisms.length} that keyceremony uses are supported`
          : `          mechanisms missing: ${absent.map((mech) => `${mech.name} (${mech.needed})`).join(', ')}`,
      );
      // Key backup and restore need a wrapping mechanism on both tokens (issue 18).
      const wrapping = hsm.wrappingMechanisms(token.label, ref.serial).filter((mech) => mech.wrap || mech.unwrap);
      println(
        io.stdout,
        wrapping.length === 0
          ? '          wrapping: none (this token cannot back up or restore keys)'
          : `          wrapping: ${wrapping.map((mech) => `${mech.name} (${mech.wrap && mech.unwrap ? 'wrap, unwrap' : mech.wrap ? 'wrap only' : 'unwrap only'})`).join(', ')}`,
      );
    }
    const others = hsm.tokens().filter((t) => t.initialized && !Object.values(profile.tokens).some((ref) => ref.label === t.label));
    for (const token of others) println(io.stdout, `other     label "${token.label}", serial ${token.serial} (not in the profile)`);
    const blank = hsm.tokens().filter((t) => !t.initialized).length;
    if (blank > 0) println(io.stdout, `blank     ${blank} uninitialised token${blank === 1 ? '' : 's'} (available to init-token)`);
    if (ambiguous.length > 0) {
      throw new InputError(`hsm info: ${ambiguous.length === 1 ? 'token' : 'tokens'} ${ambiguous.map((n) => `"${n}"`).join(', ')} of ${profile.file}: more than one token has the label`, {
        hint: 'add the serial of the intended token to the profile (tokens.<name>.serial), or relabel the other token',
        code: 'hsm.token-ambiguous',
      });
    }
    if (missing.length > 0) {
      throw new InputError(`hsm info: ${missing.length === 1 ? 'token' : 'tokens'} ${missing.map((n) => `"${n}"`).join(', ')} of ${profile.file} not present`, {
        hint: 'check the labels in the profile, that the HSM is connected, and SOFTHSM2_CONF for SoftHSM',
      });
    }
    return 0;
  } finally {
    hsm.finalize();
  }
}

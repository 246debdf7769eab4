// Bench-only: drives a whole hca-g3-keygen ceremony (the EC P-384 bench copy) through the
// terminal UI in a private tmux server (80x24, English), typing what the officers would type
// (the dry-run answers and the custodians' shares), to measure the UI's peak RSS over a real
// ceremony rather than only at its first frame. The keyceremony process gets
// NODE_OPTIONS=--import=scripts/bench/rss-probe.mjs, which writes its peak RSS at exit.
//
// The driver is reactive: it reads the screen, finds the active field (the line that starts
// with "› ") or the "Press Enter" line, and answers it. A screen it does not know stops the
// drive with the screen in the error, so a changed UI shows up as a pending figure rather
// than as a wrong one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { definitionFor } from './ceremony.mjs';
import { BIN, RSS_PROBE, childEnv, sleep } from './lib.mjs';

const PEOPLE = [
  { id: 'wang', name: '王大明 Wang Ta-ming', roles: 'administrator' },
  { id: 'lin', name: '林秀英 Lin Hsiu-ying', roles: 'witness' },
  { id: 'hc1', name: '張淑芬 Chang Shu-fen', roles: 'custodian' },
  { id: 'hc3', name: '黃美玲 Huang Mei-ling', roles: 'custodian' },
  { id: 'hc4', name: '吳俊傑 Wu Chun-chieh', roles: 'custodian' },
];
const RECORD_VALUES = {
  'Approval reference': 'DRY-RUN-2026-003',
  'Ceremony room': 'Rehearsal room B1',
  // Compared with the serial the token reports: set from hca-token-init's journal (driveWholeCeremony).
  'HSM serial number': '',
  'Tamper-evident bag number': 'TB100002',
  'New bag number': 'TB100003',
  Deviations: 'none',
};
const EXIT_MARK = '__kc_bench_exit__';
const quote = (arg) => `'${String(arg).replace(/'/g, `'\\''`)}'`;

class Tmux {
  constructor(env) {
    this.dir = mkdtempSync(join(tmpdir(), 'kc-bench-tmux-'));
    this.socket = join(this.dir, 'socket');
    this.env = env;
  }
  run(args, mayFail = false) {
    const r = spawnSync('tmux', ['-u', '-f', '/dev/null', '-S', this.socket, ...args], { env: this.env, encoding: 'utf8' });
    if (!mayFail && (r.error || r.status !== 0)) throw new Error(`tmux ${args[0]} failed: ${r.error?.message ?? r.stderr}`);
    return r.stdout;
  }
  start(argv) {
    this.run(['new-session', '-d', '-s', 'kc', '-x', '80', '-y', '24', `${argv.map(quote).join(' ')}; echo "${EXIT_MARK} $?"; sleep 600`]);
    this.run(['set-option', '-g', 'escape-time', '0']);
  }
  screen() {
    return this.run(['capture-pane', '-p', '-t', 'kc']);
  }
  enter(text) {
    if (text) this.run(['send-keys', '-t', 'kc', '-l', '--', text]);
    this.run(['send-keys', '-t', 'kc', 'Enter']);
  }
  stop() {
    this.run(['kill-server'], true);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The screen without the clock line, which redraws every second. */
const stable = (screen) => screen.replace(/^.*elapsed \d\d:\d\d:\d\d.*$/m, '');

/**
 * What to type for the screen, or undefined to wait (the HSM is working), or an Error for a
 * screen the driver does not know. Who comes next is read off the screen itself.
 */
function answerFor(screen, shareOf) {
  const active = /^› (.*?)\s*$/m.exec(screen)?.[1];
  if (active === undefined) {
    if (/Press Enter (when|for the next one|to log out|to go ahead)/.test(screen)) return '';
    return undefined;
  }
  // Answer only a field that is still empty: a field that shows typed text is a frame drawn
  // before the UI took the Enter, and answering it again would type into the next field.
  if (/, share \d+:/.test(active)) return /: 0 groups$/.test(active) ? shareOf(PEOPLE.find((p) => active.startsWith(p.name)).id) : undefined;
  if (active.startsWith('Followed the script?')) return '';
  const signedIn = Number(/Signed in: (\d+)/.exec(screen)?.[1] ?? NaN);
  const fields = [
    [/^Id$/, () => (signedIn < PEOPLE.length ? PEOPLE[signedIn].id : '')],
    [/^Name$/, () => PEOPLE[signedIn].name],
    [/^Roles$/, () => PEOPLE[signedIn].roles],
    [/^Performer \(Witness\)$/, () => 'lin'],
    [/^Performer \([^)]*\)$/, () => 'wang'],
    [/^Witness \([^)]*\)$/, () => 'lin'],
    [/^Custodian id$/, () => ['hc1', 'hc3', 'hc4'][Number(/(\d+) of 3 shares entered/.exec(screen)?.[1] ?? NaN)]],
    [/^Participant id$/, () => /^ · (\S+)\s/m.exec(screen)?.[1]],
    [/^Note$/, () => ''],
    ...Object.entries(RECORD_VALUES).map(([label, value]) => [new RegExp(`^${label}$`), () => value]),
  ];
  for (const [pattern, answer] of fields) if (pattern.test(active)) return answer();
  // A known field with text in it: wait for the UI to take the Enter.
  const known = ['Id', 'Name', 'Roles', 'Performer', 'Witness', 'Custodian id', 'Participant id', 'Note', ...Object.keys(RECORD_VALUES)];
  if (known.some((label) => active.startsWith(`${label} `) || active.startsWith(`${label}(`))) return undefined;
  return new Error(`unknown field "${active}"`);
}

/** Polls until the screen (without the clock) has not changed for `quietMs`. */
async function settled(tmux, quietMs = 150) {
  let screen = tmux.screen();
  let since = Date.now();
  for (;;) {
    await sleep(40);
    const next = tmux.screen();
    if (stable(next) !== stable(screen)) {
      screen = next;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return next;
  }
}

/**
 * Runs the whole ceremony in the UI on a prepared fixture (ceremony.mjs prepare(dir, 'ec'),
 * so the HCA token has no HCA-G3 key yet). Resolves with the peak RSS (KiB) of the
 * keyceremony process and the number of screens answered.
 */
export async function driveWholeCeremony(fx, rssLog, { timeoutMs = 180_000, nodeOptions = '', bin = BIN } = {}) {
  const workdir = join(fx.dir, 'ui-whole');
  const manifest = join(fx.dir, 'hca-token-init', 'outputs', 'hca-user-pin.init.manifest.json');
  const shareOf = (custodian) =>
    readFileSync(join(fx.dir, 'hca-token-init', 'dry-run-shares', custodian), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('hca-user-pin '))
      .split(' ')
      .at(-1);
  // The HCA token's serial, as hca-token-init recorded it from the token (a throwaway token's is new every run).
  RECORD_VALUES['HSM serial number'] = readFileSync(join(fx.dir, 'hca-token-init', 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .find((r) => r.event === 'step.completed' && r.step === 'storage').data.values['hsm-serial'];
  const env = childEnv({
    SOFTHSM2_CONF: fx.conf,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    NODE_OPTIONS: `--import=${RSS_PROBE} ${nodeOptions}`.trim(),
    KC_BENCH_RSS_LOG: rssLog,
  });
  const tmux = new Tmux(env);
  let answered = 0;
  const deadline = Date.now() + timeoutMs;
  try {
    tmux.start([process.execPath, bin, 'run', definitionFor('hca-g3-keygen', 'ec'), '--hsm', fx.profile, '--workdir', workdir, '--lang', 'en', '--input', `hca-user-pin-manifest=${manifest}`, '--input', `hca-audit-key=${join(dirname(manifest), 'hca-audit-key.pem')}`]);
    let last = '';
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the UI drive timed out; the screen shows:\n${tmux.screen()}`);
      // Answer only a screen that has settled and is not the one answered last.
      const screen = await settled(tmux);
      const exit = new RegExp(`${EXIT_MARK} (\\d+)`).exec(screen);
      if (exit) {
        if (exit[1] !== '0') throw new Error(`keyceremony exited ${exit[1]} in the UI; the screen shows:\n${screen}`);
        if (!/completed/.test(screen)) throw new Error(`the ceremony did not complete; the screen shows:\n${screen}`);
        break;
      }
      if (stable(screen) === last) continue;
      const answer = answerFor(screen, shareOf);
      if (answer instanceof Error) throw new Error(`${answer.message}; the screen shows:\n${screen}`);
      if (answer === undefined) continue;
      last = stable(screen);
      tmux.enter(answer);
      answered++;
    }
  } finally {
    tmux.stop();
  }
  const lines = readFileSync(rssLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const run = lines.filter((l) => l.argv.includes('run') && l.argv.includes(workdir)).at(-1);
  if (!run) throw new Error(`the RSS probe wrote nothing for the UI run (${rssLog})`);
  return { rssKiB: run.maxRssKiB, screensAnswered: answered };
}

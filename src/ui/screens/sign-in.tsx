// Sign-in: each participant types their id, name and roles. A conflict of roles (an
// administrator who is also a witness) is shown the moment the roles are typed; the roles
// still missing are counted on screen; Enter on an empty id sends everyone to the machine.
import { moreLine } from '../components/more-line.js';
import { Box, Text } from 'ink';
import { useKeys } from '../keyboard.js';
import { useState } from 'react';
import type { Participant } from '../../ceremony/types.js';
import { Form, formHelpRows } from '../components/form.js';
import { Wrapped } from '../components/wrapped.js';
import { Tone } from '../components/tone.js';
import type { FieldSpec } from '../model/fields.js';
import { counted } from '../../util/plural.js';
import { useInputActive, useText } from '../providers.js';
import { sameNameKey } from '../../util/same-name.js';
import { displayWidth, fitDisplay, padDisplay, widest, wrapDisplay, wrapIndented } from '../../util/text-width.js';

export interface RoleLine {
  id: string;
  title: string;
  /** Every title the definition gives the role (en and zh-TW): sign-in accepts each. */
  titles?: readonly string[];
  min: number;
}

export interface SignInScreenProps {
  /** The definition's own words for the sign-in step, shown first when it gives some. */
  instructions?: string | undefined;
  roles: readonly RoleLine[];
  conflicts: ReadonlyArray<readonly [string, string]>;
  onSubmit: (participants: Participant[]) => void;
  rows: number;
  width: number;
}

// Continuation lines of the status hang under its text, after the two-column indent and the mark.
const STATUS_HANG = 4;

const ID = /^[a-z][a-z0-9-]{0,62}$/;

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The roles `typed` names: its number on screen, its id, or its title in either language.
 * More than one when two roles share a title (or one's title is another's id): the person
 * is then asked for the number, never given one of them silently.
 */
function rolesFor(typed: string, roles: readonly RoleLine[]): string[] {
  const n = Number(typed);
  if (Number.isInteger(n) && n >= 1 && n <= roles.length) return [roles[n - 1]!.id];
  const want = fold(typed);
  const titles = (r: RoleLine) => [r.title, ...(r.titles ?? [])].map(fold);
  const exact = roles.filter((r) => r.id === want || titles(r).includes(want)).map((r) => r.id);
  if (exact.length > 0 || [...want].length < 2) return exact;
  // A part of a title shown on screen (「管理員」 for 憑證管理中心管理員, "CA admin" for "CA
  // administrator"): the roles whose title holds it; one is that role, several are ambiguous.
  return roles.filter((r) => titles(r).some((title) => title.includes(want))).map((r) => r.id);
}

export interface TypedRole {
  typed: string;
  /** The one role named; undefined when none or several are. */
  role: string | undefined;
  /** The roles a title shared by several names (empty when `role` is set or nothing matched). */
  ambiguous: string[];
}

/**
 * Role numbers, ids or titles (in either language; a title may have spaces, e.g. "CA
 * administrator"), separated by commas or spaces; entries without a role are unknown or ambiguous.
 */
export function parseRoles(text: string, roles: readonly RoleLine[]): TypedRole[] {
  const out: TypedRole[] = [];
  for (const chunk of text.split(/[,，、;；]+/)) {
    const words = chunk.split(/\s+/).filter(Boolean);
    // The longest run of words that names a role wins, so a title with spaces is one role.
    for (let i = 0; i < words.length;) {
      let end = words.length;
      while (end > i + 1 && rolesFor(words.slice(i, end).join(' '), roles).length === 0) end--;
      const typed = words.slice(i, end).join(' ');
      const found = rolesFor(typed, roles);
      out.push({ typed, role: found.length === 1 ? found[0] : undefined, ambiguous: found.length > 1 ? found : [] });
      i = end;
    }
  }
  return out;
}

/**
 * The roles a person signs in or joins with, each once and in the order typed: "3, custodian"
 * (a number and an id of the same role) or a title typed in both languages means one role,
 * not two, and refusing it would only make the person type it again (issue 16 item 9).
 */
export function chosenRoles(text: string, roles: readonly RoleLine[]): string[] {
  return [...new Set(parseRoles(text, roles).flatMap((r) => (r.role === undefined ? [] : [r.role])))];
}

export function missingRoles(roles: readonly RoleLine[], participants: readonly Participant[]): Array<{ role: RoleLine; missing: number }> {
  return roles.map((role) => ({ role, missing: role.min - participants.filter((p) => p.roles.includes(role.id)).length })).filter((r) => r.missing > 0);
}

/**
 * The fields one person fills in to sign in (also to join later): id, name and roles, with
 * the id format, an id already taken, unknown roles and conflicting roles shown as typed.
 */
export function personFields(
  t: ReturnType<typeof useText>['t'],
  roles: readonly RoleLine[],
  conflicts: ReadonlyArray<readonly [string, string]>,
  taken: readonly Participant[],
  /** The join dialog lists no roles and has no "empty id ends it": its help says what it has (review at 80x24, M8). */
  { joining = false }: { joining?: boolean } = {},
): FieldSpec[] {
  const titleOf = (role: string) => roles.find((r) => r.id === role)?.title ?? role;
  const numbered = roles.map((r, i) => `${i + 1} ${r.title}`).join(t('list.separator'));
  return [
    {
      name: 'id',
      label: t('signIn.id'),
      help: joining ? t('join.idHelp') : t('signIn.idHelp'),
      check: (id) => (!ID.test(id) ? t('signIn.idFormat') : taken.some((p) => p.id === id) ? t('signIn.idTaken', { id }) : undefined),
    },
    {
      name: 'name',
      label: t('signIn.name'),
      // One person, one id: the same name again (as the machine compares names: width, case and
      // look-alike letters aside) is refused as it is typed, naming the id it signed in under.
      check: (name) => {
        const earlier = taken.find((p) => sameNameKey(p.name) === sameNameKey(name));
        return earlier ? t('signIn.nameTaken', { name: name.trim(), id: earlier.id }) : undefined;
      },
    },
    {
      name: 'roles',
      label: t('signIn.roles'),
      help: joining ? t('join.rolesHelp', { roles: numbered }) : t('signIn.rolesHelp'),
      check: (text, values) => {
        const parsed = parseRoles(text, roles);
        const unclear = parsed.find((r) => r.role === undefined);
        if (unclear && unclear.ambiguous.length > 0) {
          const numbered = unclear.ambiguous.map((id) => `${roles.findIndex((r) => r.id === id) + 1} ${titleOf(id)}`);
          return t('signIn.ambiguousRole', { role: unclear.typed, roles: numbered.join(t('list.separator')) });
        }
        if (unclear) return t('signIn.unknownRole', { role: unclear.typed, n: roles.length });
        const chosen = new Set(parsed.map((r) => r.role!));
        const conflict = conflicts.find(([a, b]) => chosen.has(a) && chosen.has(b));
        if (!conflict) return undefined;
        // The person by id and name, as the room knows them, not by the id alone (review of issue 16).
        const id = values.id ?? '';
        const name = values.name?.trim() ?? '';
        const person = name ? t('common.aside', { text: id, aside: name }) : id;
        return t('signIn.conflict', { person, a: titleOf(conflict[0]), b: titleOf(conflict[1]) });
      },
    },
  ];
}

export function SignInScreen({ instructions, roles, conflicts, onSubmit, rows, width }: SignInScreenProps) {
  const { t, lang } = useText();
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [status, setStatus] = useState<string | undefined>();
  // How many of the latest people the list is scrolled back past (0: the latest are shown).
  const [back, setBack] = useState(0);

  const titleOf = (role: string) => roles.find((r) => r.id === role)?.title ?? role;
  const fields = personFields(t, roles, conflicts, participants);

  const missing = missingRoles(roles, participants);
  const needs = missing.map((m) => t('signIn.needOne', { n: m.missing, role: counted(lang, m.missing, m.role.title) })).join(t('list.separator'));
  const finish = () => {
    if (participants.length === 0 || missing.length > 0) return setStatus(needs ? t('signIn.stillNeeded', { needs }) : t('signIn.nobody'));
    onSubmit(participants);
  };

  const roleText = roles.map((r, i) => `${i + 1} ${r.title}${r.min > 0 ? ` ≥${r.min}` : ''}`).join('  ');
  const statusLine = status
    ? { kind: 'bad' as const, text: `  ✗ ${status}` }
    : missing.length
      ? { kind: 'muted' as const, text: `  ${t('signIn.stillNeeded', { needs })}` }
      : { kind: 'ok' as const, text: `  ✓ ${t('signIn.ready')}` };
  // Rows left for the list: intro, roles, count, the three fields, their help and the status;
  // the intro, roles, help and status wrap onto as many lines as they need (never cut).
  const intro = t('signIn.intro');
  const rolesLine = t('signIn.rolesList', { roles: roleText });
  const wrappedRows = [...(instructions ? [instructions] : []), intro, rolesLine].reduce((n, text) => n + wrapIndented(text, width).length, 0);
  const fits = rows - 4 - wrappedRows - formHelpRows(fields, width) - wrapIndented(statusLine.text, width, STATUS_HANG).length;
  const idWidth = widest(participants.map((p) => p.id));
  const nameWidth = Math.min(24, widest(participants.map((p) => p.name)));
  // Each person on as many lines as their roles take: the roles wrap in their own column, so a
  // continuation line starts under the first role, not at column 0.
  const lines = participants.map((p) => {
    const lead = `   ${padDisplay(p.id, idWidth)}  ${padDisplay(fitDisplay(p.name, nameWidth), nameWidth)}  `;
    const roleLines = wrapDisplay(p.roles.map(titleOf).join(t('list.separator')), Math.max(10, width - displayWidth(lead)));
    return roleLines.map((line, i) => ({ lead: i === 0 ? lead : ' '.repeat(displayWidth(lead)), line }));
  });
  // A window of people that fits, the latest by default; PgUp and PgDn move it, so everyone who
  // signed in can be checked (id, name, roles) before Enter finishes: the row for those not
  // shown says which way they are and the key that shows them (review at 80x24: "… 5 more
  // above" named people that were nowhere on screen).
  const end = participants.length === 0 ? 0 : Math.max(1, participants.length - back);
  const fill = (room: number) => {
    let first = end;
    while (first > 0 && lines[first - 1]!.length <= room) room -= lines[--first]!.length;
    return first === end && end > 0 ? end - 1 : first; // at least one person is shown
  };
  const roomBelow = Math.max(1, end < participants.length ? fits - 1 : fits);
  let first = fill(roomBelow);
  if (first > 0) first = fill(Math.max(1, roomBelow - 1));
  const shown = participants.slice(first, end);
  const earlierText = moreLine(
    t,
    'signIn.moreEarlier',
    participants.slice(0, first).map((p) => p.id),
    width,
  );
  const laterText = moreLine(
    t,
    'signIn.moreLater',
    participants.slice(end).map((p) => p.id),
    width,
  );
  useKeys((input, key) => {
    if (key.ctrl && input === 'd' && participants.length > 0) {
      setParticipants(participants.slice(0, -1));
      setStatus(undefined);
      setBack(0);
    }
    if (key.pageUp && first > 0) setBack(participants.length - first);
    if (key.pageDown && end < participants.length) setBack(Math.max(0, participants.length - (end + Math.max(1, shown.length))));
  }, useInputActive());
  return (
    <Box flexDirection="column">
      {instructions ? <Wrapped kind="accent" text={instructions} width={width} /> : null}
      <Wrapped text={intro} width={width} />
      <Wrapped kind="muted" text={rolesLine} width={width} />
      <Tone kind="accent">{t('signIn.signedIn', { n: participants.length })}</Tone>
      {earlierText ? <Tone kind="muted">{earlierText}</Tone> : null}
      {shown.length === 0 ? <Tone kind="muted">{`   ${t('signIn.nobody')}`}</Tone> : null}
      {shown.map((p, i) => (
        <Box key={p.id} flexDirection="column">
          {lines[first + i]!.map(({ lead, line }, j) => (
            <Text key={j}>
              {lead}
              <Tone kind="muted">{line}</Tone>
            </Text>
          ))}
        </Box>
      ))}
      {laterText ? <Tone kind="muted">{laterText}</Tone> : null}
      <Form
        width={width}
        key={participants.length}
        fields={fields}
        onSubmit={(values) => {
          const person: Participant = { id: values.id!, name: values.name!, roles: chosenRoles(values.roles ?? '', roles) };
          setParticipants([...participants, person]);
          setStatus(undefined);
          setBack(0);
        }}
        onEmptySubmit={finish}
      />
      <Wrapped kind={statusLine.kind} text={statusLine.text} width={width} hang={STATUS_HANG} />
    </Box>
  );
}

// init-token: new random SO and user PINs, each split among custodians. The shares are
// handed out and typed back *before* C_InitToken, so a token never holds a PIN that
// nobody has written down. Writes one share-set manifest per PIN, and the public key of the
// token's audit key (journal checkpoints), `<token>-audit-key.pem`. A definition for a token
// that has no SO PIN (NSS softoken: the SO logs in with the empty PIN, and only until the
// user PIN is set) leaves `so` out; the pre-flight refuses either on the wrong token (HSM.md).
import { z } from 'zod';
import { manifestName } from '../shared/keys.js';
import { common, id } from '../shared/step-schema.js';
import type { CredentialSplit, StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('init-token'), token: id(), so: id().optional(), user: id() });
export type InitTokenStep = z.infer<typeof schema>;

/** The output that holds the public key (SPKI PEM) of the audit key init-token makes on `token`. */
export const auditKeyName = (token: string): string => `${token}-audit-key.pem`;

/** The credentials the step sets: the SO PIN's (when the token has one), then the user PIN's. */
export const initTokenCredentials = (step: InitTokenStep): string[] => (step.so === undefined ? [step.user] : [step.so, step.user]);

export const initTokenSpec = {
  type: 'init-token',
  schema,
  screen: { busy: 'busy.initToken' },
  sensitive: true,
  title: { en: 'Initialise token and split its PINs', 'zh-TW': '初始化載具並分持 PIN 碼' },
  evidences: ['br-module', 'c'],
  governedBy: ['key-storage', 'activation-data'],
  initialises: (step) => step.token,
  splits: (step, definition) =>
    initTokenCredentials(step).map((credential): CredentialSplit => ({
      credential,
      threshold: definition.credentials[credential]!.threshold,
      of: definition.credentials[credential]!.of,
    })),
  produces: (step) => [
    ...(['so', 'user'] as const).flatMap((which) =>
      step[which] === undefined ? [] : [{ name: manifestName(step[which], step.id), kind: 'share-manifest' as const, field: [which] }],
    ),
    { name: auditKeyName(step.token), kind: 'audit-key' as const, field: ['token'] },
  ],
  works: true,
  check: (step, scan) => {
    const { data } = scan;
    if (!(step.token in data.tokens)) scan.problem(scan.at('token'), `names token "${step.token}", which is not in tokens`);
    for (const which of ['so', 'user'] as const) {
      if (step[which] === undefined) continue;
      const credential = data.credentials[step[which]];
      if (!credential) scan.problem(scan.at(which), `names credential "${step[which]}", which is not in credentials`);
      else {
        if (credential.token !== step.token)
          scan.problem(scan.at(which), `credential "${step[which]}" is for token "${credential.token}", not "${step.token}"`);
        if (credential.user !== which) scan.problem(scan.at(which), `credential "${step[which]}" is the ${credential.user} PIN, not the ${which} PIN`);
        scan.credentialsWithManifest.add(step[which]);
      }
    }
    if (scan.initialised.has(step.token)) scan.problem(scan.at('token'), `token "${step.token}" is already initialised by an earlier step`);
    scan.initialised.add(step.token);
  },
  scriptRows: (step, { t, code, credential }) => [
    [t.token, code(step.token)],
    ...(step.so === undefined ? [] : [[t.soCredential, credential(step.so)] as const]),
    [t.userCredential, credential(step.user)],
  ],
  screenFacts: (step, { t, token, newShares }) => [{ label: t('facts.token'), value: token(step.token) }, ...newShares()],
  asks: (_step, { custodians }) => custodians(),
} satisfies StepSpec<InitTokenStep>;

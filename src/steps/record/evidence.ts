// What a record step's field is evidence of, for the auditor (issue 22 item 13): a field
// tagged `evidence: video-file` is the video reference, `auditor-name` the Qualified
// Auditor's name, and so on. The definition declares which fields the ceremony records;
// the report finds the values by tag, shows them in the audit evidence rows and says "not
// recorded" for what the script did not ask for. Pure data: the report reads it.
import { z } from 'zod';

export const EVIDENCE_GROUPS = {
  /** BR 6.1.1.1 (2): the video of the whole ceremony. */
  video: ['video-file', 'video-sha256', 'video-cameras', 'video-start', 'video-stop'],
  /** BR 6.1.1.1 (2): the Qualified Auditor who witnessed it. */
  auditor: ['auditor-name', 'auditor-firm', 'auditor-attendance', 'auditor-independence'],
  /** Who was in the room, identities checked on paper. */
  attendance: ['attendance-sheet', 'id-check'],
  /** The HSM checked against the asset register and the vendor's firmware. */
  'hsm-inventory': ['hsm-serial', 'hsm-asset-register', 'hsm-certificate', 'hsm-firmware', 'hsm-vendor-firmware'],
  /** Tamper-evident bags and share envelopes, numbered, and where they are kept. */
  register: ['bag-numbers', 'envelope-numbers', 'storage-place'],
  /** The keys on the token before and after the ceremony. */
  'key-inventory': ['key-inventory-before', 'key-inventory-after'],
} as const;

export type EvidenceGroup = keyof typeof EVIDENCE_GROUPS;
export type EvidenceKind = (typeof EVIDENCE_GROUPS)[EvidenceGroup][number];
export const EVIDENCE_GROUP_NAMES = Object.keys(EVIDENCE_GROUPS) as EvidenceGroup[];
export const EVIDENCE_KINDS: EvidenceKind[] = Object.values(EVIDENCE_GROUPS).flat();

export const evidenceKind = z.enum(EVIDENCE_KINDS as [EvidenceKind, ...EvidenceKind[]], {
  error: `must be one of ${EVIDENCE_KINDS.join(', ')}`,
});

/** The group an evidence kind belongs to. */
export function groupOf(kind: EvidenceKind): EvidenceGroup {
  return EVIDENCE_GROUP_NAMES.find((group) => (EVIDENCE_GROUPS[group] as readonly string[]).includes(kind))!;
}

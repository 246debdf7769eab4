// Quorum credentials: typeable checksummed Shamir shares, the share-set manifest and the
// secret store. The format is described in docs/share-format.md.
export { newSecret, shareShape, split, SECRET_BYTES, type IssuedShare, type SplitOptions, type SplitResult } from './split.js';
export { combine } from './combine.js';
export { readShare, type ShareIdentity } from './read-share.js';
export { checkShareGroups, checkShareTyping, type GroupState, type TypedGroup, type TypingCheck } from './typing-check.js';
export { derivePin, MIN_PIN_LENGTH, MAX_PIN_LENGTH, PIN_ALPHABETS, type PinAlphabet } from './pin.js';
export { rotate, type RotateOptions, type Rotation } from './rotate.js';
export { SecretStore, type CollectionStatus } from './secret-store.js';
export {
  loadManifest,
  parseManifest,
  parseManifestText,
  serializeManifest,
  manifestFingerprint,
  describeSet,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type ManifestShare,
  type ShareSetManifest,
} from './manifest.js';
export { ShareError, type ShareProblem } from './share-error.js';
export { formatForPaper, sameShareText } from './share-text.js';
export { asSecretBuffer, isSecretBuffer, wipe } from './secret-buffer.js';

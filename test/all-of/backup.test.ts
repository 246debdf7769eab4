// The test files of test/backup/, in one process (test/helpers/together.ts says why and how).
import { runTogether } from '../helpers/together.js';

await runTogether('backup');

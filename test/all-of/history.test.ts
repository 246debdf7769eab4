// The test files of test/history/, in one process (test/helpers/together.ts says why and how).
import { runTogether } from '../helpers/together.js';

await runTogether('history');

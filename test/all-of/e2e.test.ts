// The test files of test/e2e/, in one process (test/helpers/together.ts says why and how).
import { runTogether } from '../helpers/together.js';

await runTogether('e2e');

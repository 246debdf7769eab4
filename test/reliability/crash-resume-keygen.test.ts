// Issue 9, item 1: the crash matrix for hca-g3-keygen — every step, killed with SIGKILL after its
// journal record and while its HSM work is under way, then resumed. What is checked after
// each resume is described in test/helpers/crash-matrix.ts.
import t from 'tap';
import { crashMatrix } from '../helpers/crash-matrix.js';

await crashMatrix(t, 'hca-g3-keygen');

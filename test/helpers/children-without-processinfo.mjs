// Preloaded into every test process by tap's `node-arg` (package.json), after tap's own preloads.
//
// tap's @tapjs/processinfo follows every child process a test starts: it puts an --import of
// itself into the child's NODE_OPTIONS, whatever environment the test passes. In a child it
// does two things: it records the process tree, and it collects the V8 coverage that tap's
// report is made from. Without coverage (`npm test`: "disable-coverage" in package.json) the
// child gains nothing from it, and it costs each keyceremony CLI the tests spawn about 0.7 s of
// CPU (every module it loads goes through processinfo's loader thread): 1.6 to 1.8 s instead of
// 0.8 to 1.0 s for `validate`, over several hundred spawned CLIs a run (BENCHMARKS.md, "Test
// suite time").
//
// So, when tap collects no coverage, this takes processinfo back out of the NODE_OPTIONS of
// each child, after processinfo's own hook has put it in (process-on-spawn calls its listeners
// in order). Anything else in NODE_OPTIONS, such as a test's own --require, is left as it is.
// With coverage (`npm run test:coverage`) it does nothing, so the children are measured.
import processOnSpawn from 'process-on-spawn';

const PROCESSINFO_OPTION = /\s*(?:"--(?:import|loader|require)=[^"]*@tapjs\/processinfo[^"]*"|--(?:import|loader|require)=\S*@tapjs\/processinfo\S*)/g;

if (process.env._TAPJS_PROCESSINFO_COVERAGE_ === '0') {
  processOnSpawn.addListener((child) => {
    const options = child.env.NODE_OPTIONS;
    if (options === undefined) return;
    const rest = options.replace(PROCESSINFO_OPTION, '').trim();
    if (rest === '') delete child.env.NODE_OPTIONS;
    else child.env.NODE_OPTIONS = rest;
  });
}

/**
 * Prints the Markdown tables of a results file again (for the README), with the targets judged
 * by the current rules:
 *
 *   ts-node --transpile-only bench/show.ts [<results.json>]     default: .bench/results.json
 */
import { describeMachine } from './machine';
import { readResults, resultsFile, RunSection } from './results';
import { judgeScan, scanMarkdown } from './scan-report';
import { judge, synthMarkdown } from './synth-report';

function header(what: string, s: RunSection<unknown>): string {
  const cap = s.cpuCapSeconds === undefined ? '' : `, CPU cap ${s.cpuCapSeconds} s`;
  return (
    `${what}, ${s.startedAt}: ${describeMachine(s.machine)}. ${s.rounds} round${s.rounds === 1 ? '' : 's'}${s.quick ? ' (quick)' : ''}${cap}; ` +
    `load ${s.loadStart} at start, ${s.loadEnd} at end; ${Math.round(s.seconds)} s.`
  );
}

const file = process.argv[2] ?? resultsFile();
const results = readResults(file);
const out: string[] = [`Results of ${file}`, ''];
if (results.synth) {
  judge(results.synth.tables);
  out.push(header('Synthesis', results.synth), '', ...results.synth.tables.map((t) => `${synthMarkdown(t)}\n`));
}
if (results.scan) {
  results.scan.tables.forEach(judgeScan);
  out.push(header('Scanner', results.scan), '', ...results.scan.tables.map((t) => `${scanMarkdown(t)}\n`));
}
console.log(out.join('\n'));

import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli-process';
import { DEMO_APP, synthesize } from '../support/demo-assembly';
import { expectValidSarif } from '../support/sarif';

afterAll(removeTemporaryDirectories);

const KEY = 'cdkImagePinning/v1';
const INPUTS = ['templates', 'sam', 'task-definitions', 'language-extensions', 'transforms'];

/** Each result's fingerprint by what it is about (rule and logical location, with its property path for equal names). */
function fingerprintsOf(args: readonly string[], cwd: string): Map<string, string> {
  const log = stdoutJson(runCli(['scan', ...args, '--format', 'sarif'], { cwd }));
  expectValidSarif(log);
  const prints = new Map<string, string>();
  for (const r of log.runs[0].results) {
    const key = `${r.ruleId} ${r.locations[0].logicalLocations[0].fullyQualifiedName} ${r.properties.propertyPath}`;
    expect(prints.has(key)).toBe(false);
    prints.set(key, r.partialFingerprints[KEY]);
  }
  return prints;
}

/** A copy of the CLI fixtures in a fresh directory. */
function copyOfFixtures(): string {
  const dir = temporaryDirectory();
  fs.cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

describe('SARIF partialFingerprints', () => {
  test('every result has one, each distinct, and two runs give the same ones', () => {
    const first = fingerprintsOf(INPUTS, FIXTURES);
    expect(first.size).toBeGreaterThan(10);
    for (const print of first.values()) expect(print).toMatch(/^[0-9a-f]{32}(:\d+)?$/);
    expect(new Set(first.values()).size).toBe(first.size);
    expect(fingerprintsOf(INPUTS, FIXTURES)).toEqual(first);
  });

  test('the same from another checkout directory, and with the inputs in another order', () => {
    const here = fingerprintsOf(INPUTS, FIXTURES);
    expect(fingerprintsOf(INPUTS, copyOfFixtures())).toEqual(here);
    expect(fingerprintsOf([...INPUTS].reverse(), FIXTURES)).toEqual(here);
  });

  test('lines added above a resource, or a new tag, keep the alert', () => {
    const dir = copyOfFixtures();
    const before = fingerprintsOf(['templates/short-forms.yaml'], dir);
    const file = path.join(dir, 'templates', 'short-forms.yaml');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('nginx:edge');
    fs.writeFileSync(file, `# a comment\n# and another\n${text.replace('nginx:edge', 'nginx:beta')}`);
    const after = fingerprintsOf(['templates/short-forms.yaml'], dir);
    expect(after).toEqual(before);
    expect(new Set(before.values()).size).toBe(before.size);
  });

  test('a cloud assembly gives the same ones wherever it was synthesized, and from two synths', () => {
    const one = synthesize({ file: DEMO_APP });
    const two = synthesize({ file: DEMO_APP }, {}, temporaryDirectory());
    try {
      const a = fingerprintsOf([one], FIXTURES);
      expect(a.size).toBe(3);
      expect(fingerprintsOf([two], FIXTURES)).toEqual(a);
      // With path metadata (as `cdk synth` writes), the construct path names the resource instead.
      const withPaths = synthesize({ file: DEMO_APP }, { 'aws:cdk:enable-path-metadata': true });
      try {
        const b = fingerprintsOf([withPaths], FIXTURES);
        expect(b.size).toBe(3);
        expect(fingerprintsOf([withPaths], FIXTURES)).toEqual(b);
      } finally {
        fs.rmSync(withPaths, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(one, { recursive: true, force: true });
    }
  });
});

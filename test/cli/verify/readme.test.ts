import * as fs from 'fs';
import * as path from 'path';
import { REGISTRY_RULES } from '../../../src/rules/registry-rules';
import { platformCheckedTypes } from '../../../src/rules/runtime-platform';
import { REPO_ROOT, runCli } from '../cli-process';

/** The README's sections on `verify` and `lock` say what the code does: rules, levels, platforms, options. */

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const section = (heading: string) => {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const next = README.slice(start + heading.length + 2).search(/\n#{2,3} /);
  return README.slice(start, next === -1 ? undefined : start + heading.length + 2 + next);
};
const optionsOf = (help: string) => [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]).filter((o) => o !== '--help');

describe('the README of verify and lock', () => {
  test('the registry rules table gives each rule with its level', () => {
    const text = section('## Verifying images against their registries');
    for (const rule of Object.values(REGISTRY_RULES)) {
      expect(text).toContain(`| \`${rule.id}\` | ${rule.level} |`);
    }
  });

  test('the platform table lists every resource type whose platform is checked', () => {
    const text = section('## Verifying images against their registries');
    for (const type of platformCheckedTypes()) {
      expect(text).toContain(`\`${type}\``);
    }
  });

  test('every option verify adds to scan\'s is in the verify options table; every lock option in the lock table', () => {
    const scan = optionsOf(runCli(['scan', '--help']).stdout);
    const verifyOnly = optionsOf(runCli(['verify', '--help']).stdout).filter((o) => !scan.includes(o));
    const verifyTable = section('### Verify options');
    expect(verifyOnly.length).toBeGreaterThan(0);
    for (const option of verifyOnly) expect(verifyTable).toContain(`| \`${option} `);
    const lockTable = section('## Locking tags to digests');
    for (const option of optionsOf(runCli(['lock', '--help']).stdout).filter((o) => !['--policy', '--exclude-resource-type'].includes(o))) {
      expect(lockTable).toContain(`\`${option}`);
    }
  });
});

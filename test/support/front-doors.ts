import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { annotatedFindingsUnder } from './annotations';
import { ImagePinning, ImagePinningChecks, ImagePinningOptions, ImagePinningValidator } from '../../src';
import { compileOptions } from '../../src/check/check-settings';
import { scan } from '../../src/cli/scan';
import { violationSeverity } from '../../src/report/levels';
import { STAGES_RULE_ID } from '../../src/rules/rule-ids';

/** A finding as any front door reports it: which container, which rule, how severe. */
export interface Reported {
  readonly findingId: string;
  readonly severity: 'error' | 'warning';
}

export type AppBuilder = (app: App) => void;

const key = (r: Reported) => `${r.findingId} ${r.severity}`;

/** The roll-up of errors inside Stages that the pack and the plugin add (see construct/stages.ts); not a finding. */
export const STAGES_SUMMARY = STAGES_RULE_ID;

/** A violation that is an error or warning finding: not the Stages roll-up, not a waived (info) finding. */
function isFinding(v: { readonly ruleName: string; readonly severity?: string }): boolean {
  return v.ruleName !== STAGES_SUMMARY && v.severity !== 'info';
}

/** Sorted `findingId severity` lines, for comparing front doors. */
export function normalize(reported: Reported[]): string[] {
  return reported.map(key).sort();
}

/** The Aspect, through ImagePinning.enforce: its error and warning annotations. */
export function viaAspect(build: AppBuilder, props: ImagePinningOptions = {}): Reported[] {
  // A failing validation report (errors inside Stages) would set process.exitCode of the test run itself.
  const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  build(app);
  ImagePinning.enforce(app, props);
  try {
    app.synth();
  } catch {
    // Errors inside Stages fail the app's synthesis on purpose; the annotations are in the tree.
  }
  return annotatedFindingsUnder(app).map((m) => ({ findingId: m.findingId, severity: m.level }));
}

/** The cdk-nag 3 pack, run on the synthesized tree as cdk-nag runs it. */
export function viaNagPack(build: AppBuilder, props: ImagePinningOptions = {}): Reported[] {
  const app = new App();
  build(app);
  app.synth();
  const report = new ImagePinningChecks(app, props).validateScope(app);
  return report.violations.filter(isFinding).flatMap((v) =>
    v.violatingResources.map(() => ({ findingId: v.ruleName, severity: v.severity as Reported['severity'] })),
  );
}

/** The validation plugin, given the synthesized templates and the tree as aws-cdk-lib gives them. */
export function viaValidator(build: AppBuilder, props: ImagePinningOptions = {}) {
  const app = new App();
  build(app);
  const assembly = app.synth();
  const report = new ImagePinningValidator(props).validate({
    templatePaths: assembly.stacksRecursively.map((s) => s.templateFullPath),
    appConstruct: app,
  });
  return {
    report,
    reported: report.violations.filter(isFinding).flatMap((v) =>
      v.violatingResources.map(() => ({ findingId: v.ruleName, severity: v.severity as Reported['severity'] })),
    ),
  };
}

/** What each front door reports for the same app, normalized, so one assertion compares all three. */
export function everyFrontDoor(build: AppBuilder, props: ImagePinningOptions = {}) {
  return {
    aspect: normalize(viaAspect(build, props)),
    nagPack: normalize(viaNagPack(build, props)),
    validator: normalize(viaValidator(build, props).reported),
  };
}

/** The same expected findings, for each front door. */
export function fromEachFrontDoor(expected: string[]) {
  return { aspect: expected, nagPack: expected, validator: expected };
}

/** The command-line scanner, on the cloud assembly the app synthesizes (scanned in-process, as the CLI runs it). */
export function viaScan(build: AppBuilder, props: ImagePinningOptions = {}): Reported[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-scan-'));
  try {
    const app = new App({ outdir });
    build(app);
    app.synth();
    const result = scan([outdir], { settings: compileOptions(props), cwd: outdir });
    if (result.problems.length > 0) throw new Error(`scan problems: ${JSON.stringify(result.problems)}`);
    return result.images.flatMap((i) => {
      const severity = violationSeverity(i.finding.outcome);
      return severity ? [{ findingId: i.finding.findingId, severity }] : [];
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** What each front door and the scanner report for the same app. */
export function everyFrontDoorAndScan(build: AppBuilder, props: ImagePinningOptions = {}) {
  return { ...everyFrontDoor(build, props), scan: normalize(viaScan(build, props)) };
}

/** The same expected findings, for each front door and the scanner. */
export function fromEachFrontDoorAndScan(expected: string[]) {
  return { ...fromEachFrontDoor(expected), scan: expected };
}

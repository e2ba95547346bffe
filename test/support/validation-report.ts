import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';

/** A violation as aws-cdk-lib writes it into validation-report.json. */
export interface ReportedViolation {
  readonly plugin: string;
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly constructPaths: string[];
}

/**
 * An App whose synthesis writes the validation report without failing the process: with
 * failSynthOnValidationErrors unset, a failing report sets process.exitCode, which would fail
 * the test run itself.
 */
export function reportingApp(props: AppProps = {}): App {
  return new App({
    ...props,
    outdir: props.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-report-')),
    context: { ...props.context, '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
}

/** Synthesizes the app and reads the violations of its validation report (none when no plugin reported). */
export function synthReport(app: App): ReportedViolation[] {
  const assembly = app.synth();
  const file = path.join(assembly.directory, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  type Violation = { ruleName: string; description: string; severity: string; violatingConstructs?: Array<{ constructPath?: string }> };
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: Array<{ pluginName: string; violations: Violation[] }> };
  return report.pluginReports.flatMap((r) =>
    r.violations.map((v) => ({
      plugin: r.pluginName,
      ruleName: v.ruleName,
      description: v.description,
      severity: v.severity,
      constructPaths: (v.violatingConstructs ?? []).map((c) => c.constructPath ?? ''),
    })),
  );
}

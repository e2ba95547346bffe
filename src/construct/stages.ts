import { App, PolicyViolation, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { nestedStagesSummary, nestedStagesWaiverSummary, StageError, WAIVED_FIX } from '../report/finding-text';
import { STAGES_RULE_ID, UNREADABLE_TEMPLATE_RULE_ID } from '../rules/rule-ids';

/**
 * Stages nested in the App (CDK Pipelines stages): the one place that answers "is this inside a
 * nested Stage?" and builds the summary of errors there, for every front door.
 *
 * `cdk synth` without a stack selection does not select the stacks inside nested Stages, and the
 * aws-cdk CLI reports annotations and plugin violations only for the stacks it selects. So that
 * such a synth cannot pass over unpinned images, each front door also reports their errors in a
 * form the CLI always shows.
 */

/** Templates of nested Stages live in `assembly-<stage>` directories of the cloud assembly. */
const NESTED_ASSEMBLY_TEMPLATE = /[\\/]assembly-[^\\/]+[\\/][^\\/]+$/;

/** Is this construct in a Stage nested in the App, whose stacks `cdk synth` does not select by default? */
export function inNestedStage(construct: IConstruct): boolean {
  const stage = Stage.of(construct);
  return stage !== undefined && !App.isApp(stage);
}

/**
 * The same question for a synthesized template, when no construct is known for it (a plugin
 * given templates without the construct tree): its file is in a nested assembly.
 */
export function isNestedStageTemplate(templatePath: string): boolean {
  return NESTED_ASSEMBLY_TEMPLATE.test(templatePath);
}

/** Every Stage under `scope`, at any depth (not `scope` itself). */
export function nestedStages(scope: IConstruct): Stage[] {
  return scope.node.findAll().filter((c): c is Stage => c !== scope && Stage.isStage(c));
}

/** A synthesized template that cannot be read (a nested stack's template missing): an error, never "no images". */
export function unreadableTemplateViolation(problem: { readonly file: string; readonly reason: string }): PolicyViolation {
  return {
    ruleName: UNREADABLE_TEMPLATE_RULE_ID,
    description: `${problem.file}: ${problem.reason}: its images are not checked`,
    fix: 'synthesize the app again (cdk synth) so that every template of the cloud assembly is written',
    severity: 'error',
    violatingResources: [{ constructPath: '', locations: [] }],
  };
}

/**
 * One violation that names no resource and sums up the errors inside nested Stages, which the
 * CLI always reports whatever it selects. Undefined when there are none.
 *
 * @param errors where each error inside a nested Stage is, and its finding id
 * @param checkedFromTemplates the paths of Stages whose synthesized templates were checked, to say so
 */
export function nestedStagesViolation(errors: readonly StageError[], checkedFromTemplates: readonly string[] = []): PolicyViolation | undefined {
  if (errors.length === 0) {
    return undefined;
  }
  const { description, fix } = nestedStagesSummary(errors, checkedFromTemplates);
  return {
    ruleName: STAGES_RULE_ID,
    description,
    fix,
    severity: 'error',
    // A resource without logical id or construct path: the CLI keeps it whatever it selects.
    violatingResources: [{ constructPath: '', locations: [] }],
  };
}

/**
 * One info violation that names the waived findings in stacks inside Stages, which the aws-cdk CLI
 * does not show without a stack selection: reviewers see that they exist, and where.
 */
export function nestedStagesWaiversViolation(waivers: readonly StageError[]): PolicyViolation | undefined {
  if (waivers.length === 0) {
    return undefined;
  }
  return {
    ruleName: STAGES_RULE_ID,
    description: nestedStagesWaiverSummary(waivers),
    fix: WAIVED_FIX,
    severity: 'info',
    // A resource without logical id or construct path: the CLI keeps it whatever it selects.
    violatingResources: [{ constructPath: '', locations: [] }],
  };
}

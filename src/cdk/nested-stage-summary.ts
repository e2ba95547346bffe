import { App, PolicyViolation, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RULE_ID_PREFIX } from '../check/rule-ids';

/** The rule name of the summary violation. */
export const NESTED_STAGES_RULE = `${RULE_ID_PREFIX}Stages`;

/** Is this construct in a Stage nested in the App, whose stacks `cdk synth` does not select by default? */
export function inNestedStage(construct: IConstruct): boolean {
  const stage = Stage.of(construct);
  return stage !== undefined && !App.isApp(stage);
}

/**
 * The aws-cdk CLI reports a plugin's violations only for the stacks it selects, and `cdk synth`
 * without a selection does not select stacks inside Stages (CDK Pipelines stages). So that such a
 * synth cannot pass over unpinned images, their errors are also summed up in one violation that
 * names no resource, which the CLI always reports. Undefined when there are none.
 *
 * @param errors `<construct path>: <message>` for each error inside a nested Stage
 */
export function nestedStageSummary(errors: string[]): PolicyViolation | undefined {
  if (errors.length === 0) {
    return undefined;
  }
  return {
    ruleName: NESTED_STAGES_RULE,
    description:
      `${errors.length} unpinned image(s) in stacks inside Stages, which \`cdk synth\` without a stack selection does not show ` +
      `(\`cdk synth '**'\` shows them in full):\n${errors.map((e) => `  - ${e}`).join('\n')}`,
    fix: 'pin the images listed (see each finding), or acknowledge their findings',
    severity: 'error',
    // A resource without logical id or construct path: the CLI keeps it whatever it selects.
    violatingResources: [{ constructPath: '', locations: [] }],
  };
}

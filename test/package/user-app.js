// A CDK app as a user writes it, run inside a fresh npm project that installed the packed tarball
// (see fresh-app.ts). Plain JavaScript, so that it needs nothing the user would not have. Each
// front door gets its own app with one unpinned image; the results are printed as one JSON object.
const fs = require('fs');
const path = require('path');
const { App, Aspects, CfnResource, Stack, Validations } = require('aws-cdk-lib');
const { Annotations, Match } = require('aws-cdk-lib/assertions');
const ecs = require('aws-cdk-lib/aws-ecs');
const pinning = require('cdk-image-pinning');

function unpinnedApp(outdir) {
  const app = new App({ outdir });
  const stack = new Stack(app, 'S');
  new ecs.FargateTaskDefinition(stack, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
  return { app, stack };
}

/**
 * What validation plugins reported, from the report aws-cdk-lib writes next to the assembly, and
 * the exit code it set for a failed validation (1; reset here so that the next app runs).
 */
function pluginViolations(app, outdir) {
  app.synth();
  const exitCode = process.exitCode ?? 0;
  process.exitCode = 0;
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName} ${v.severity} ${v.ruleName}`));
  return { violations, exitCode };
}

function errorOf(run) {
  try {
    run();
    return undefined;
  } catch (e) {
    return { name: e.name, message: e.message, stack: e.stack };
  }
}

const result = { exports: Object.keys(pinning).sort() };

// The Aspect; its assembly (cdk.out) is what the test then scans with the CLI.
{
  const { app, stack } = unpinnedApp('cdk.out');
  pinning.ImagePinning.enforce(app);
  result.aspect = Annotations.fromStack(stack).findError('*', Match.anyValue()).map((m) => `${m.id} ${m.entry.data}`);
}

// The validation plugin.
{
  const { app } = unpinnedApp('cdk.out.validator');
  Validations.of(app).addPlugins(new pinning.ImagePinningValidator());
  result.validator = pluginViolations(app, 'cdk.out.validator');
}

// The cdk-nag 3 pack: a report with cdk-nag 3, an error without it.
{
  const { app } = unpinnedApp('cdk.out.pack');
  result.pack = {};
  result.pack.error = errorOf(() => Validations.of(app).addPlugins(new pinning.ImagePinningChecks(app)));
  if (result.pack.error === undefined) {
    Object.assign(result.pack, pluginViolations(app, 'cdk.out.pack'));
  }
}

// With cdk-nag 2 installed: the README's way, ImagePinning.check from the app's own cdk-nag 2 pack.
if (process.argv.includes('--cdk-nag-2-pack')) {
  const { NagMessageLevel, NagPack } = require('cdk-nag');
  class ImagePinningV2Checks extends NagPack {
    constructor(props) {
      super(props);
      this.packName = 'ImagePinning';
      this.options = {};
    }
    visit(node) {
      if (!CfnResource.isCfnResource(node)) return;
      for (const finding of pinning.ImagePinning.check(node, this.options)) {
        if (finding.severity === pinning.FindingSeverity.ERROR) {
          this.applyRule(new ImagePinningRule(finding, node, NagMessageLevel.ERROR));
        }
        if (finding.severity === pinning.FindingSeverity.WARNING) {
          this.applyRule(new ImagePinningRule(finding, node, NagMessageLevel.WARN));
        }
      }
    }
  }
  class ImagePinningRule {
    constructor(finding, node, level) {
      this.ruleSuffixOverride = finding.ruleId.replace('ImagePinning-', '');
      this.info = finding.message;
      this.explanation = 'An unpinned image changes without any change to the app.';
      this.level = level;
      this.node = node;
      this.label = finding.label;
    }
    rule(_node) {
      return [this.label];
    }
  }
  const { app, stack } = unpinnedApp('cdk.out.nag2');
  Aspects.of(app).add(new ImagePinningV2Checks());
  result.cdkNag2Pack = Annotations.fromStack(stack).findError('*', Match.anyValue()).map((m) => `${m.id} ${m.entry.data}`);
}

process.stdout.write(JSON.stringify(result));

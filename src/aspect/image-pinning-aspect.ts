import { CfnResource, IAspect, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StageReport } from './stage-report';
import { CheckSettings, compileOptions, ImagePinningOptions } from '../check/check-settings';
import { addAnnotation } from '../construct/annotation';
import { checkConstruct } from '../construct/check-construct';
import { writeLockedImages } from '../construct/lock-rewrite';
import { placeFinding, PlacedFinding } from '../construct/place-finding';
import { inSettledPass } from '../construct/settled-tree';
import { inNestedStage, nestedStages } from '../construct/stages';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { findingMessage, StageError, waivedMessage } from '../report/finding-text';
import { annotationLevel } from '../report/levels';

/**
 * Adds an error annotation, during synthesis, for every container image that is not pinned.
 *
 * It visits every resource that runs images (ECS task definitions, whether written as L2
 * constructs, created by ecs-patterns, or written as L1 `CfnTaskDefinition`), reads it as the
 * template will show it, and reports each container that fails the policy: on the
 * `ContainerDefinition` where there is one, else on the L1 resource. Unresolved images are
 * warnings by default. Exemptions (`ImagePinning.exempt`) and acknowledgements turn findings into
 * info annotations.
 *
 * Prefer `ImagePinning.enforce(app)`, which covers nested Stages and checks each Stage's
 * resources once every aspect has run (see below).
 *
 * Added by hand (`Aspects.of(scope).add(aspect)`), the Aspect checks each resource when it visits
 * it. `ImagePinning.enforce` leaves the resources of each Stage to one validation of that Stage
 * (`node.addValidation`), which aws-cdk-lib runs after every aspect of any priority has run and
 * references have been resolved: one walk of the Stage's tree, the images as the template will
 * have them. With a lock file, resources inside a `NestedStack` are checked when the Aspect
 * visits them instead: aws-cdk-lib hashes a nested stack's template (its asset) before it runs
 * validations, and a locked image must be pinned before that; so only then does `enforce` add
 * the Aspect to the tree (an aspect costs a visit of every construct).
 */
export class ImagePinningAspect implements IAspect {
  /**
   * The policy this Aspect applies.
   */
  public readonly policy: ImagePinningPolicy;

  private readonly settings: CheckSettings;
  /** Errors reported inside nested Stages, by construct path and finding id, for `ImagePinning.enforce`'s report. */
  private readonly nestedStageErrors = new Map<string, StageError>();
  /** Waived findings inside nested Stages, likewise: the report names them, as `cdk synth` does not show them. */
  private readonly nestedStageWaivers = new Map<string, StageError>();
  /** The report on nested Stages `ImagePinning.enforce` asked for, added when there is something in it. */
  private stageReport?: { readonly scope: IConstruct; readonly report: StageReport; added: boolean };
  /** The scopes whose resources a validation checks, registered by `ImagePinning.enforce` (see `_checkInValidationOf`). */
  private readonly validationRoots = new Set<IConstruct>();
  /** The Stages directly under each root, found by its validation's walk, so the Stage report needs no walk of its own. */
  private readonly stagesFound = new Map<IConstruct, Stage[]>();

  /**
   * @throws Error naming the option, when an option is invalid
   */
  constructor(options: ImagePinningOptions = {}) {
    this.settings = compileOptions(options);
    this.policy = this.settings.policy;
  }

  /**
   * Checks one construct; does nothing unless it is a resource that runs images.
   */
  public visit(node: IConstruct): void {
    if (Stage.isStage(node) && !this.validationRoots.has(node)) {
      // A Stage whose validation checks it is covered when that validation runs: a Stage
      // synthesized with `skipValidation` is then checked from its templates (stage-report.ts).
      markVisited(node);
    }
    if (this.stageReport && node === this.stageReport.scope && !this.validationRoots.has(node) && this.stageReport.report.needed()) {
      // aws-cdk-lib synthesizes nested Stages before it runs the Aspects of their parent: by
      // now the Stages under the scope that no Aspect ran on are known.
      this.addStageReport();
    }
    if (!CfnResource.isCfnResource(node) || this.checkedInValidation(node)) {
      return;
    }
    this.check(node);
  }

  /**
   * Checks the resources under `root` from one validation of `root` instead of when visited:
   * after every aspect of any priority has run (so a sidecar or an image an aspect adds late is
   * seen) and with one walk of the tree. Registered once per root.
   *
   * @returns whether the Aspect must visit `root` too: it is in a nested stack, or holds nested
   * stacks whose locked images must be pinned before their templates are hashed
   * @internal
   */
  public _checkInValidationOf(root: IConstruct): boolean {
    if (inNestedStack(root)) {
      return true;
    }
    if (!this.validationRoots.has(root)) {
      this.addValidationOf(root);
    }
    return this.visitsNestedStacks;
  }

  /**
   * With a lock file, resources in nested stacks are checked (and their locked images pinned)
   * when visited: aws-cdk-lib hashes a nested stack's template for its asset before validations run.
   */
  private get visitsNestedStacks(): boolean {
    return this.settings.lock !== undefined;
  }

  private addValidationOf(root: IConstruct): void {
    this.validationRoots.add(root);
    root.node.addValidation({
      validate: () => {
        // Every aspect has run and prepare has rendered every resource: the tree is settled.
        inSettledPass(() => this.checkTree(root));
        // Findings are annotations, never validation errors: those would stop synthesis with a
        // stack trace before the cloud assembly is written, and hide every other finding.
        return [];
      },
    });
  }

  /** One walk of `root`'s tree, not into nested Stages (each has its own validation), nor into nested stacks the Aspect visits. */
  private checkTree(root: IConstruct): void {
    if (Stage.isStage(root)) {
      markVisited(root);
    }
    const stages: Stage[] = [];
    const pending: IConstruct[] = [root];
    for (let next = pending.pop(); next; next = pending.pop()) {
      if (CfnResource.isCfnResource(next)) {
        this.check(next);
      }
      // Children in reverse, so that resources are checked in the order aspects would visit them.
      const children = next.node.children;
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i];
        if (Stage.isStage(child)) {
          stages.push(child);
        } else if (this.visitsNestedStacks && Stack.isStack(child) && child.nested) {
          // Its resources were checked when visited; a Stage in it (aws-cdk-lib synthesizes those too) is still found.
          stages.push(...outermostStages(child).reverse());
        } else {
          pending.push(child);
        }
      }
    }
    this.stagesFound.set(root, stages.reverse());
    if (this.stageReport && root === this.stageReport.scope && this.stageReport.report.needed()) {
      // Nested Stages were synthesized (and their validations run) before this one's: all is known.
      this.addStageReport();
    }
  }

  /** Every Stage under `scope`, from what the validations' walks found, walking only where none did. */
  private stagesUnder(scope: IConstruct): Stage[] {
    const found = this.stagesFound.get(scope);
    if (!found) {
      return nestedStages(scope);
    }
    return found.flatMap((stage) => [stage, ...this.stagesUnder(stage)]);
  }

  /** Is this resource left to a validation: the nearest of the roots, a Stage or a nested stack above it is a root? */
  private checkedInValidation(resource: CfnResource): boolean {
    if (this.validationRoots.size === 0) {
      return false;
    }
    for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
      if (this.validationRoots.has(current)) {
        return true;
      }
      if (Stage.isStage(current) || (this.visitsNestedStacks && Stack.isStack(current) && current.nested)) {
        return false;
      }
    }
    return false;
  }

  private check(node: CfnResource): void {
    const findings = checkConstruct(node, this.settings, { rewriteLocked: true });
    // Images in the lock file are synthesized pinned to their digests; each was judged as such.
    writeLockedImages(node, findings);
    for (const finding of findings) {
      // Most images are compliant: nothing to place on the tree, nothing to report.
      if (finding.outcome.kind !== 'compliant' && finding.outcome.kind !== 'ignored') {
        this.report(placeFinding(node, finding, this.settings), node);
      }
    }
  }

  /**
   * Report on the Stages nested in `scope` when the Aspect visits it: errors inside them, and
   * Stages it never ran on (see stage-report.ts).
   *
   * @internal
   */
  public _reportOnStagesOf(scope: IConstruct): void {
    const report = new StageReport(scope, {
      settings: this.settings,
      // By construct path, so the list reads the same whatever order the Stages were synthesized in.
      nestedStageErrors: () => sortedValues(this.nestedStageErrors),
      nestedStageWaivers: () => sortedValues(this.nestedStageWaivers),
      visited: isVisited,
      stages: () => this.stagesUnder(scope),
    });
    this.stageReport = { scope, report, added: false };
  }

  /**
   * Adds the report, once, when it has something to say: a validation plugin makes aws-cdk-lib
   * print a line on every synthesis, so an app with nothing to report gets none.
   */
  private addStageReport(): void {
    if (this.stageReport && !this.stageReport.added) {
      Validations.of(this.stageReport.scope).addPlugins(this.stageReport.report);
      this.stageReport.added = true;
    }
  }

  /**
   * One annotation per finding, at the level its outcome calls for, deduplicated by message on
   * each construct, so a container is reported once however often synthesis runs. Each carries its
   * finding id as `... (annotation::ImagePinning-ECS1[web])` (see construct/annotation.ts).
   */
  private report({ finding, target }: PlacedFinding, resource: CfnResource): void {
    const level = annotationLevel(finding.outcome);
    if (level === undefined) {
      return;
    }
    // A waived finding is an info annotation: cdk synth prints it, and the cloud assembly keeps it
    // (`aws:cdk:info` in the stack's metadata), so reviewers see every waiver.
    const message = level === 'info' ? waivedMessage(finding)! : findingMessage(finding);
    addAnnotation(level, target, finding.findingId, message, resource);
    if ((level === 'error' || level === 'info') && inNestedStage(target)) {
      const index = level === 'error' ? this.nestedStageErrors : this.nestedStageWaivers;
      index.set(`${target.node.path}\u0000${finding.findingId}`, { where: target.node.path, findingId: finding.findingId });
      this.addStageReport();
    }
  }
}

/**
 * Stages an image pinning Aspect ran on (aws-cdk-lib visits each Stage it runs an Aspect on),
 * marked on the Stage under a global symbol so that every Aspect of the app, from any copy of
 * this library, knows a Stage is covered.
 */
const VISITED = Symbol.for('cdk-image-pinning.visited-stage');

function markVisited(stage: IConstruct): void {
  Object.defineProperty(stage, VISITED, { value: true, configurable: true, enumerable: false });
}

/** The Stages under `scope` that no other Stage under it holds. */
function outermostStages(scope: IConstruct): Stage[] {
  return nestedStages(scope).filter((stage) => stage.node.scopes.slice(scope.node.scopes.length, -1).every((c) => !Stage.isStage(c)));
}

/** Is `scope` a nested stack or inside one (below its Stage)? */
function inNestedStack(scope: IConstruct): boolean {
  for (let current: IConstruct | undefined = scope; current && !Stage.isStage(current); current = current.node.scope) {
    if (Stack.isStack(current) && current.nested) {
      return true;
    }
  }
  return false;
}

function isVisited(stage: IConstruct): boolean {
  return (stage as unknown as Record<symbol, unknown>)[VISITED] === true;
}

/** A map's values in the order of its keys (construct paths): the same whatever order synthesis visited them in. */
function sortedValues<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

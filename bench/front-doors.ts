/**
 * The variants the synthesis benchmark compares: the library's three front doors, and the
 * references they are judged against, each the cheapest design of its kind:
 *
 * - `none`: no check at all (the baseline every ratio is taken against);
 * - `noop-aspect`: an Aspect that does nothing, at `AspectPriority.READONLY`: what aws-cdk-lib's
 *   aspect machinery costs on this tree, whatever the aspect does;
 * - `naive-aspect`: the floor for an Aspect: a plain string test on the images of each
 *   `CfnTaskDefinition`, reporting with `Annotations.addError`;
 * - `enforce`: `ImagePinning.enforce(app)`;
 * - `naive-pack`: the floor for a cdk-nag 3 pack: the same string test as a `NagPack` rule;
 * - `pack`: the library's cdk-nag 3 pack, `ImagePinningChecks`;
 * - `plugin`: the library's validation plugin, `ImagePinningValidator`;
 * - `naive-validation`: the floor for a check run from validations: one `node.addValidation` per
 *   Stack doing the string test over the stack's constructs and reporting with annotations (so
 *   findings do not abort synthesis, as they would if the validation returned them).
 * - `aspect`: `ImagePinningAspect` added by hand with `Aspects.of(app).add`, which checks each
 *   resource as it visits it; `enforce` checks from one validation per Stage instead, after every
 *   aspect ran (the design question of issue 10, item 4: this variant is the other answer).
 *
 * Each variant counts, where that is cheap, the calls the framework makes into it (visits,
 * resources checked, constructs walked), so a reader can compare the work and not only the time.
 */
import { Annotations, App, AspectPriority, Aspects, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { NagMessageLevel, NagPack, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ImagePinning, ImagePinningAspect, ImagePinningChecks, ImagePinningValidator } from './library';

export type VariantId = 'none' | 'noop-aspect' | 'naive-aspect' | 'enforce' | 'naive-pack' | 'pack' | 'plugin' | 'naive-validation' | 'aspect';

export const VARIANT_IDS: readonly VariantId[] = ['none', 'noop-aspect', 'naive-aspect', 'enforce', 'naive-pack', 'pack', 'plugin', 'naive-validation', 'aspect'];

/** What a variant is called in the tables. */
export const VARIANT_LABELS: Record<VariantId, string> = {
  'none': 'no aspect (baseline)',
  'noop-aspect': 'no-op aspect',
  'naive-aspect': 'minimal naive aspect',
  'enforce': '`ImagePinning.enforce`',
  'naive-pack': 'minimal cdk-nag 3 pack',
  'pack': '`ImagePinningChecks` (cdk-nag 3 pack)',
  'plugin': '`ImagePinningValidator` (plugin)',
  'naive-validation': 'minimal check, one `addValidation` per Stack',
  'aspect': '`ImagePinningAspect` added by hand (checks as it visits)',
};

/** Calls the framework made into the variant during synthesis. */
export interface VariantCounts {
  /** Aspect visits (`visit` calls). */
  visits?: number;
  /** Resources a pack's `checkResource` was called with. */
  checkedResources?: number;
  /** Constructs a validation looked at. */
  validatedConstructs?: number;
  /** Time inside `ImagePinningAspect.visit` and its validation's walk, in seconds (wall clock, measured around each call). */
  insideCheckSeconds?: number;
}

/** The naive test: the tag is `latest`, or there is neither a tag nor a digest. */
const NAIVE_UNPINNED = /:latest$|^[^:@]+$/;

/** An image as a plain string: a literal, or an `Fn::Join` with `*` for each intrinsic in it. */
function imageText(image: unknown): string | undefined {
  if (typeof image === 'string') return image;
  const join = (image as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part: unknown) => (typeof part === 'string' ? part : '*')).join(join[0]);
  }
  return undefined;
}

/** The names of the containers of a task definition whose image fails the naive test. */
function naiveUnpinned(task: ecs.CfnTaskDefinition): string[] {
  const definitions = Stack.of(task).resolve(task.containerDefinitions) as unknown;
  if (!Array.isArray(definitions)) return [];
  const unpinned: string[] = [];
  for (const definition of definitions as Array<{ name?: unknown; image?: unknown }>) {
    const text = imageText(definition.image);
    if (text !== undefined && NAIVE_UNPINNED.test(text)) unpinned.push(String(definition.name));
  }
  return unpinned;
}

function annotateNaive(task: ecs.CfnTaskDefinition): void {
  for (const name of naiveUnpinned(task)) {
    Annotations.of(task).addError(`Container ${name}: the image is not pinned; use a version tag or a digest`);
  }
}

class NaivePack extends NagPack {
  public readonly name: string = 'NaiveChecks';

  constructor(scope: IConstruct, private readonly counts: VariantCounts) {
    super(scope);
    this.packName = 'Naive';
  }

  protected checkResource(node: CfnResource): void {
    this.counts.checkedResources = (this.counts.checkedResources ?? 0) + 1;
    if (!(node instanceof ecs.CfnTaskDefinition)) return;
    this.applyRule({
      ruleSuffixOverride: 'IMG1',
      info: 'The container image is not pinned.',
      explanation: 'Use a version tag or a digest.',
      level: NagMessageLevel.ERROR,
      node,
      rule: (resource: CfnResource): NagRuleResult => {
        const unpinned = naiveUnpinned(resource as ecs.CfnTaskDefinition);
        return unpinned.length > 0 ? unpinned : NagRuleCompliance.COMPLIANT;
      },
    });
  }
}

/** Adds the variant's check to the app, before synthesis. */
export function applyVariant(variant: VariantId, app: App, counts: VariantCounts): void {
  switch (variant) {
    case 'none':
      return;
    case 'noop-aspect':
      counts.visits = 0;
      Aspects.of(app).add({ visit: () => { counts.visits!++; } }, { priority: AspectPriority.READONLY });
      return;
    case 'naive-aspect': {
      counts.visits = 0;
      const aspect: IAspect = {
        visit: (node) => {
          counts.visits!++;
          if (node instanceof ecs.CfnTaskDefinition) annotateNaive(node);
        },
      };
      Aspects.of(app).add(aspect, { priority: AspectPriority.READONLY });
      return;
    }
    case 'enforce':
      timeTheCheck(counts);
      ImagePinning.enforce(app);
      return;
    case 'naive-pack':
      counts.checkedResources = 0;
      Validations.of(app).addPlugins(new NaivePack(app, counts));
      return;
    case 'pack': {
      counts.checkedResources = 0;
      const prototype = ImagePinningChecks.prototype as unknown as { checkResource(node: CfnResource): void };
      const checkResource = prototype.checkResource;
      prototype.checkResource = function countedCheck(this: ImagePinningChecks, node: CfnResource) {
        counts.checkedResources!++;
        checkResource.call(this, node);
      };
      Validations.of(app).addPlugins(new ImagePinningChecks(app));
      return;
    }
    case 'plugin':
      Validations.of(app).addPlugins(new ImagePinningValidator());
      return;
    case 'naive-validation':
      counts.validatedConstructs = 0;
      for (const stack of app.node.children.filter((c): c is Stack => Stack.isStack(c))) {
        stack.node.addValidation({
          validate: () => {
            for (const construct of stack.node.findAll()) {
              counts.validatedConstructs!++;
              if (construct instanceof ecs.CfnTaskDefinition) annotateNaive(construct);
            }
            return [];
          },
        });
      }
      return;
    case 'aspect': {
      timeTheCheck(counts);
      Aspects.of(app).add(new ImagePinningAspect(), { priority: AspectPriority.READONLY });
      return;
    }
  }
}

/**
 * Counts the Aspect's visits and the time inside them and inside the walk of the validation
 * `enforce` registers (`checkTree`, private: reached through the prototype, as only a benchmark may).
 */
function timeTheCheck(counts: VariantCounts): void {
  counts.visits = 0;
  let inside = 0n;
  const prototype = ImagePinningAspect.prototype as unknown as Record<'visit' | 'checkTree', (this: ImagePinningAspect, node: IConstruct) => void>;
  for (const method of ['visit', 'checkTree'] as const) {
    const original = prototype[method];
    prototype[method] = function timed(this: ImagePinningAspect, node: IConstruct) {
      if (method === 'visit') counts.visits!++;
      const start = process.hrtime.bigint();
      try {
        original.call(this, node);
      } finally {
        inside += process.hrtime.bigint() - start;
        counts.insideCheckSeconds = Number(inside) / 1e9;
      }
    };
  }
}

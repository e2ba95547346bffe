import { IConstruct } from 'constructs';
import { ConstructIndex } from './construct-index';
import { placeFinding } from './place-finding';
import { inNestedStage, isNestedStageTemplate } from './stages';
import { checkTemplate, checkTemplateGaps, TemplateFinding } from '../assembly/check-template';
import { StackFactsReader } from '../assembly/stack-facts';
import { readTemplateTree } from '../assembly/template-tree';
import { assemblyIndex, CloudTemplate } from '../cfn/cloud-template';
import { CheckSettings } from '../check/check-settings';
import { ImageFinding } from '../check/finding';

/** A finding in a synthesized template, placed on the construct tree when the tree is known. */
export interface TreeTemplateFinding {
  readonly found: TemplateFinding;
  /** The finding, its outcome decided with the exemptions and acknowledgements of the construct it is placed on. */
  readonly finding: ImageFinding;
  /** Where it is reported: the construct path, else `<template>#<logical id>`. */
  readonly where: string;
  /** Whether it is in a stack inside a nested Stage. */
  readonly inNestedStage: boolean;
}

/**
 * The shared check over synthesized templates (and their nested stacks), for front doors that
 * also have the construct tree: the validation plugin, and the Aspect's report on Stages it did
 * not run on. Only images that are not compliant are placed on the tree: most are compliant, and
 * looking each one up would cost as much as the check.
 */
export function checkTemplatesOnTree(templatePaths: readonly string[], settings: CheckSettings, root?: IConstruct): TreeTemplateCheck {
  const index = root ? new ConstructIndex(root) : undefined;
  const trees = templatePaths.map((templatePath) => readTemplateTree(templatePath));
  const loaded = trees.flatMap((t) => t.templates);
  const problems = trees.flatMap((t) => t.problems);
  // A nested stack is deployed in its parent's account and region, and shares its assets.
  const stacks = new StackFactsReader();
  const rootOf = new Map(loaded.map((l) => [l.template, l]));
  const byPath = new Map(loaded.map((l) => [l.templatePath, l]));
  const stackOf = (template: CloudTemplate) => {
    let l = rootOf.get(template);
    while (l?.nestedIn && byPath.has(l.nestedIn.templatePath)) l = byPath.get(l.nestedIn.templatePath);
    return l ? stacks.of(l.templatePath) : undefined;
  };
  const assembly = assemblyIndex(loaded.map((l) => l.template), stackOf);
  const results: TreeTemplateFinding[] = [];
  for (const { template, templatePath, unfollowed } of loaded) {
    // What the template leaves to deployment (macros, nested stacks it does not hold) is a finding too.
    const gaps = checkTemplateGaps(template, templatePath, settings, unfollowed);
    for (const found of [...gaps, ...checkTemplate(template, templatePath, settings, assembly)]) {
      if (found.finding.outcome.kind === 'compliant' || found.finding.outcome.kind === 'ignored') {
        continue;
      }
      const resource = index?.resource(found.templatePath, found.logicalId, found.constructPath);
      const placed = resource ? placeFinding(resource, found.finding, settings) : undefined;
      results.push({
        found,
        finding: placed?.finding ?? found.finding,
        where: placed ? placed.target.node.path : found.constructPath ?? `${found.templatePath}#${found.logicalId}`,
        inNestedStage: resource ? inNestedStage(resource) : isNestedStageTemplate(found.templatePath),
      });
    }
  }
  return { findings: results, problems };
}

/** The findings in the templates, and the templates of the tree that could not be read (never skipped in silence). */
export interface TreeTemplateCheck {
  readonly findings: TreeTemplateFinding[];
  readonly problems: ReadonlyArray<{ readonly file: string; readonly reason: string }>;
}

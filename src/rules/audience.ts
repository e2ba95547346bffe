/**
 * Who reads a fix: the author of a CDK app (the Aspect, the cdk-nag pack, the validation plugin,
 * and the scanner on a cloud assembly or a template aws-cdk-lib synthesized), of a CloudFormation
 * or SAM template, or of an ECS task definition file. A fix says what to change in what its
 * reader writes: `ecs.ContainerImage.fromEcrRepository(repo, tag)` means nothing in a template.
 */
export type Audience = 'cdk' | 'cloudformation' | 'taskDefinition';

/** Text written for each audience; an audience without one gets none. */
export type AudienceText = Readonly<Partial<Record<Audience, string>>>;

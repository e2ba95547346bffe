import * as fs from 'fs';
import * as path from 'path';

/**
 * CloudFormation templates for the online commands' tests, written as aws-cdk-lib writes them
 * (JSON, `aws:cdk:path` metadata), with the resources that state a platform: ECS task
 * definitions (`RuntimePlatform`), Lambda functions (`Architectures`), and others.
 */

export type Resource = { readonly Type: string; readonly Properties: object; readonly Metadata?: object };

/** An ECS task definition with one container per image; `cpu` sets `RuntimePlatform.CpuArchitecture`. */
export function ecsTask(images: readonly string[], options: { cpu?: string; os?: string; metadata?: object } = {}): Resource {
  const runtime = options.cpu || options.os
    ? { RuntimePlatform: { ...(options.cpu ? { CpuArchitecture: options.cpu } : {}), ...(options.os ? { OperatingSystemFamily: options.os } : {}) } }
    : {};
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      ContainerDefinitions: images.map((image, i) => ({ Name: `c${i}`, Image: image, Essential: true })),
      ...runtime,
    },
    ...(options.metadata ? { Metadata: options.metadata } : {}),
  };
}

/** A Lambda function from an image; `architecture` sets `Architectures`. */
export function lambdaFunction(image: string, options: { architecture?: string; metadata?: object } = {}): Resource {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      PackageType: 'Image',
      Code: { ImageUri: image },
      Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
      ...(options.architecture ? { Architectures: [options.architecture] } : {}),
    },
    ...(options.metadata ? { Metadata: options.metadata } : {}),
  };
}

/** The metadata synthesis writes on an image it pinned from the lock. */
export function lockedMetadata(locked: Record<string, string>): object {
  return { 'cdk-image-pinning:locked': locked };
}

/** Writes a template of these resources (logical id to resource) to `dir/name`; returns its path. */
export function writeTemplate(dir: string, name: string, resources: Record<string, Resource | object>): string {
  const file = path.join(dir, name);
  const withPaths = Object.fromEntries(
    Object.entries(resources).map(([id, r]) => [id, { ...r, Metadata: { 'aws:cdk:path': `Stack/${id}/Resource`, ...((r as Resource).Metadata ?? {}) } }]),
  );
  fs.writeFileSync(file, JSON.stringify({ Resources: withPaths }, undefined, 1));
  return file;
}

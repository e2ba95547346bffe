/**
 * The platform a resource runs its image on, as each service defines it, read from the
 * resource's CloudFormation properties: what `verify` checks the image's platforms against
 * (`ImagePinning-REG2`), and whether the service takes only single-platform images
 * (`ImagePinning-REG3`, Lambda).
 *
 * | Resource type | Platform | Default |
 * |---|---|---|
 * | `AWS::ECS::TaskDefinition` | `RuntimePlatform.CpuArchitecture` (`X86_64`, `ARM64`) and `OperatingSystemFamily` (`LINUX`, `WINDOWS_SERVER_*`) | `X86_64`, `LINUX` |
 * | `AWS::Lambda::Function`, `AWS::Serverless::Function` | `Architectures` (`x86_64`, `arm64`); SAM's `Globals.Function.Architectures` | `x86_64` |
 * | `AWS::Batch::JobDefinition` with `PlatformCapabilities: [FARGATE]` | `RuntimePlatform` of `ContainerProperties` or of the image's `EcsProperties.TaskProperties` entry | `X86_64`, `LINUX` |
 * | `AWS::CodeBuild::Project` | `Environment.Type` (`LINUX_CONTAINER`, `LINUX_GPU_CONTAINER`, `ARM_CONTAINER`, `WINDOWS_*_CONTAINER`) | |
 * | `AWS::EMRServerless::Application` | `Architecture` (`X86_64`, `ARM64`) | `X86_64` |
 *
 * Not checked, because the service does not fix the platform in the resource: ECS daemon task
 * definitions and Batch on EC2 or EKS (the instances decide), ECS Express Gateway services, EKS
 * manifests (the nodes decide), SageMaker (the instance type decides), App Runner, Lightsail and
 * GameLift. A platform property given by a parameter or another intrinsic is not checked either.
 */

/** What the resource says about the platform its image runs on. */
export type PlatformRequirement =
  /** The image must have this platform (`linux/amd64`); `source` says where it comes from, for messages. */
  | { readonly kind: 'platform'; readonly platform: string; readonly source: string }
  /** The platform is set by a value only known at deploy time, or one the service does not document. */
  | { readonly kind: 'unknown'; readonly why: string }
  /** The service does not fix the platform in this resource. */
  | { readonly kind: 'not-checked'; readonly why: string };

/** What the reader is given: the resource, and the image's place in it. */
export interface PlatformContext {
  readonly resourceType: string;
  /** The resource's `Properties`. */
  readonly properties: unknown;
  /** The image's property path in `Properties`: `ContainerDefinitions.0.Image`. */
  readonly propertyPath: string;
  /** A SAM template's `Globals`, for `AWS::Serverless::Function`. */
  readonly globals?: unknown;
}

type Reader = (context: PlatformContext) => PlatformRequirement;

const ECS_ARCHITECTURES: Readonly<Record<string, string>> = { X86_64: 'amd64', ARM64: 'arm64' };
const LAMBDA_ARCHITECTURES: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };
const CODEBUILD_TYPES: Readonly<Record<string, string>> = {
  LINUX_CONTAINER: 'linux/amd64',
  LINUX_GPU_CONTAINER: 'linux/amd64',
  ARM_CONTAINER: 'linux/arm64',
  WINDOWS_CONTAINER: 'windows/amd64',
  WINDOWS_SERVER_2019_CONTAINER: 'windows/amd64',
  WINDOWS_SERVER_2022_CONTAINER: 'windows/amd64',
};

const READERS: Readonly<Record<string, Reader>> = {
  'AWS::ECS::TaskDefinition': (c) => runtimePlatform(field(c.properties, 'RuntimePlatform'), 'RuntimePlatform'),
  'AWS::Lambda::Function': (c) => lambdaArchitecture(field(c.properties, 'Architectures'), 'Architectures'),
  'AWS::Serverless::Function': (c) => {
    const own = field(c.properties, 'Architectures');
    if (own !== undefined) return lambdaArchitecture(own, 'Architectures');
    const global = field(field(c.globals, 'Function'), 'Architectures');
    return lambdaArchitecture(global, 'Globals.Function.Architectures');
  },
  'AWS::Batch::JobDefinition': batchPlatform,
  'AWS::CodeBuild::Project': (c) => {
    const type = field(field(c.properties, 'Environment'), 'Type');
    if (typeof type !== 'string') return { kind: 'unknown', why: 'Environment.Type is not a literal' };
    const platform = CODEBUILD_TYPES[type];
    return platform
      ? { kind: 'platform', platform, source: `Environment.Type ${type}` }
      : { kind: 'not-checked', why: `the platform of the CodeBuild environment type ${type} is not checked` };
  },
  'AWS::EMRServerless::Application': (c) => {
    const architecture = field(c.properties, 'Architecture');
    if (architecture === undefined) return linux('amd64', 'the default Architecture X86_64');
    if (typeof architecture !== 'string' || !ECS_ARCHITECTURES[architecture]) return { kind: 'unknown', why: 'Architecture is not X86_64 or ARM64' };
    return linux(ECS_ARCHITECTURES[architecture], `Architecture ${architecture}`);
  },
};

const NOT_CHECKED: Readonly<Record<string, string>> = {
  'AWS::ECS::DaemonTaskDefinition': 'the instances a daemon runs on decide its platform',
  'AWS::ECS::ExpressGatewayService': 'an Express Gateway service does not state its platform',
  'Custom::AWSCDK-EKS-KubernetesResource': 'the cluster\'s nodes decide the platform',
};

/** The platform the resource runs the image at `propertyPath` on. */
export function platformRequirement(context: PlatformContext): PlatformRequirement {
  const reader = READERS[context.resourceType];
  if (reader) {
    return reader(context);
  }
  return { kind: 'not-checked', why: NOT_CHECKED[context.resourceType] ?? `${context.resourceType} does not state the platform its images run on` };
}

/** Resource types whose service rejects a multi-platform index: Lambda functions. */
const SINGLE_PLATFORM_ONLY: ReadonlySet<string> = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);

/** Does the service reject an image that is a multi-platform index (Lambda does, at deployment)? */
export function takesSinglePlatformImagesOnly(resourceType: string): boolean {
  return SINGLE_PLATFORM_ONLY.has(resourceType);
}

/** The resource types whose platform is checked. */
export function platformCheckedTypes(): string[] {
  return Object.keys(READERS);
}

function runtimePlatform(value: unknown, at: string): PlatformRequirement {
  if (value !== undefined && !isObject(value)) {
    return { kind: 'unknown', why: `${at} is not a literal` };
  }
  const cpu = field(value, 'CpuArchitecture');
  const family = field(value, 'OperatingSystemFamily');
  if ((cpu !== undefined && typeof cpu !== 'string') || (family !== undefined && typeof family !== 'string')) {
    return { kind: 'unknown', why: `${at} is only known at deploy time` };
  }
  const architecture = cpu === undefined ? 'amd64' : ECS_ARCHITECTURES[cpu.toUpperCase()];
  if (!architecture) {
    return { kind: 'unknown', why: `${at}.CpuArchitecture ${cpu} is not X86_64 or ARM64` };
  }
  const os = family === undefined || family.toUpperCase() === 'LINUX' ? 'linux' : family.toUpperCase().startsWith('WINDOWS') ? 'windows' : undefined;
  if (!os) {
    return { kind: 'unknown', why: `${at}.OperatingSystemFamily ${family} is not LINUX or WINDOWS_SERVER_*` };
  }
  const source = cpu === undefined
    ? `the default CpuArchitecture X86_64${family === undefined ? '' : ` with ${at}.OperatingSystemFamily ${family}`}`
    : `${at}.CpuArchitecture ${cpu}${family === undefined ? '' : ` with OperatingSystemFamily ${family}`}`;
  return { kind: 'platform', platform: `${os}/${architecture}`, source };
}

function lambdaArchitecture(value: unknown, at: string): PlatformRequirement {
  if (value === undefined) {
    return linux('amd64', 'the default Architectures x86_64');
  }
  const only = Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  if (typeof only !== 'string' || !LAMBDA_ARCHITECTURES[only]) {
    return { kind: 'unknown', why: `${at} is not ["x86_64"] or ["arm64"]` };
  }
  return linux(LAMBDA_ARCHITECTURES[only], `${at} ${only}`);
}

function batchPlatform(c: PlatformContext): PlatformRequirement {
  const capabilities = field(c.properties, 'PlatformCapabilities');
  if (!Array.isArray(capabilities) || !capabilities.includes('FARGATE')) {
    return { kind: 'not-checked', why: 'AWS Batch on EC2 or EKS runs on the compute environment\'s instances, which decide the platform' };
  }
  const task = /^EcsProperties\.TaskProperties\.(\d+)\./.exec(c.propertyPath);
  if (task) {
    const properties = field(field(c.properties, 'EcsProperties'), 'TaskProperties');
    const entry = Array.isArray(properties) ? properties[Number(task[1])] : undefined;
    return runtimePlatform(field(entry, 'RuntimePlatform'), `EcsProperties.TaskProperties.${task[1]}.RuntimePlatform`);
  }
  if (c.propertyPath.startsWith('ContainerProperties.')) {
    return runtimePlatform(field(field(c.properties, 'ContainerProperties'), 'RuntimePlatform'), 'ContainerProperties.RuntimePlatform');
  }
  return { kind: 'not-checked', why: 'this AWS Batch container does not state its platform' };
}

function linux(architecture: string, source: string): PlatformRequirement {
  return { kind: 'platform', platform: `linux/${architecture}`, source };
}

function field(value: unknown, key: string): unknown {
  return isObject(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The account reader of `cdk-image-pinning audit`, for the command-line front door: read the
 * inventory, then run the shared check over its images and compute drift and mixed deployments.
 * Not exported from the library's index: importing this loads no AWS SDK, running it does.
 */
export * from './model';
export { readAuditInventory } from './read-inventory';
export { AuditOptionsError } from './options';
export type { AuditProgress, AuditReadOptions } from './options';
export { auditIamPolicies } from './iam-policy';
export type { AuditIamPolicies, AuditIamPolicyOptions, IamPolicyDocument, IamStatement } from './iam-policy';
export { AUDIT_OPERATIONS } from './operations';
export type { AuditOperation } from './operations';
export { deployedImages, digestOf } from './image-uses';
export type { DeployedImage, DeployedImageKind } from './image-uses';
export { computeDrift, lockKeyOf } from './drift';
export type { DriftRecord, DriftResult, LockedImage, LockedImages } from './drift';
export { mixedDeployments } from './mixed-deployments';
export type { MixedDeployment, MixedDigest } from './mixed-deployments';
export { terminalProgress } from './progress';
export type { ProgressReporter, ProgressStream } from './progress';
export { SdkMissingError } from '../aws/sdk';

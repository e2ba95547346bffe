/**
 * The registry client, for the online commands. Internal to the package: not exported from the
 * library's entry point (no CDK import here, and nothing a CDK app needs at synth).
 */
export { RegistryClient, DEFAULT_MAX_BODY_BYTES } from './registry-client';
export type { RegistryClientOptions, ResolveOptions } from './registry-client';
export { isJudged } from './resolution';
export type { Resolution, ResolutionKind, Found, NotFound, Unauthorized, Unreachable, RateLimited, InvalidResponse } from './resolution';
export { platformKey, findPlatform, normalizePlatform } from './platform';
export type { Platform } from './platform';
export type { PullLimitNotice } from './pull-limit';
export type { RequestCounts } from './request-counters';
export type { Credential, CredentialLookup, CredentialSource } from './credential';
export { SdkEcrTokenSource } from './ecr-token';
export type { EcrTokenSource, EcrAuthorization } from './ecr-token';
export { parseEcrHost } from './ecr-host';
export type { EcrHost } from './ecr-host';
export { RegistryHosts, isLoopbackHost, DOCKER_HUB_API_HOST } from './hosts';
export type { RegistryEndpoint, RegistryHostOptions } from './hosts';
export { RegistryOptionError, isRegistryOptionError } from './registry-option-error';
export { MANIFEST_ACCEPT } from './media-types';

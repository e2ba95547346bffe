/** Prefix of every rule id, e.g. `ImagePinning-ECS1`; also the cdk-nag pack's name. */
export const RULE_ID_PREFIX = 'ImagePinning-';

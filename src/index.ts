export { ImageReference } from './reference/image-reference';
export { PinningLevel, UnresolvedImageAction } from './policy/pinning-level';
export { PinningReason, FindingSeverity, ImageVerdict } from './policy/image-verdict';
export { ImagePinningPolicyProps } from './policy/policy-options';
export { ImagePinningPolicy } from './policy/image-pinning-policy';
export { ImagePinningExemptionProps } from './exemptions/exemption';
export { ImagePinningAspect, ImagePinningAspectProps } from './aspect/image-pinning-aspect';
export { ImagePinning, ImagePinningProps } from './aspect/image-pinning';

/**
 * Everything the benchmark takes from the library, in one file: the public API (`src/index.ts`)
 * and the function `cdk-image-pinning scan` runs. When the library's folders move, this is the one
 * file to change; the rest of bench/ imports only from here.
 */
export { ImagePinning, ImagePinningAspect, ImagePinningChecks, ImagePinningPolicy, ImagePinningValidator } from '../src';
export { runScan, ScanRequest } from '../src/cli/run';
export { compileOptions } from '../src/check/check-settings';
export { reportedLevel } from '../src/check/outcome';

import * as fs from 'fs';
import * as path from 'path';

/** What reports say about the tool: its name, version and home page. */
export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

const FALLBACK: PackageInfo = {
  name: 'cdk-image-pinning',
  version: '0.0.0',
  informationUri: 'https://github.com/cdk-image-pinning/cdk-image-pinning',
};

let cached: PackageInfo | undefined;

/** Read from the package's own package.json (two levels above `lib/cli/` and `src/cli/`). */
export function packageInfo(): PackageInfo {
  if (!cached) {
    cached = readPackageInfo(path.join(__dirname, '..', '..', 'package.json'));
  }
  return cached;
}

function readPackageInfo(file: string): PackageInfo {
  try {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown; homepage?: unknown; repository?: unknown };
    const repository = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository as { url?: unknown } | undefined)?.url;
    const home = typeof pkg.homepage === 'string' ? pkg.homepage : typeof repository === 'string' ? webUrlOf(repository) : undefined;
    return {
      name: typeof pkg.name === 'string' ? pkg.name : FALLBACK.name,
      version: typeof pkg.version === 'string' ? pkg.version : FALLBACK.version,
      informationUri: home ?? FALLBACK.informationUri,
    };
  } catch {
    return FALLBACK;
  }
}

/** `git+https://github.com/o/r.git` -> `https://github.com/o/r`. */
function webUrlOf(repository: string): string | undefined {
  const url = repository.replace(/^git\+/, '').replace(/\.git$/, '');
  return /^https:\/\//.test(url) ? url : undefined;
}

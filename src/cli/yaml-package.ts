import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded when a file first needs it rather than when the scanner starts:
 * loading it takes about 35 ms of CPU (72 modules), and a scan of JSON files (a cloud assembly,
 * most of the time) never needs it.
 */
export function yamlPackage(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('yaml') as typeof Yaml;
  return loaded;
}

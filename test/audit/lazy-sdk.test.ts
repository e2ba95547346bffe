/**
 * The AWS SDK is not a dependency of the package: importing the library or the audit module
 * loads none of it, and running the audit where it is not installed says what to install.
 * Checked in a child process where every `@aws-sdk/*` package is made unresolvable.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function runWithoutSdk(script: string): Record<string, unknown> {
  const hide = `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request.startsWith('@aws-sdk/')) {
        const e = new Error("Cannot find module '" + request + "'");
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      }
      return resolve.call(this, request, ...rest);
    };
    require('ts-node').register({ transpileOnly: true, project: 'test/tsconfig.json' });
    const sdkLoaded = () => Object.keys(require.cache).filter((k) => k.includes('@aws-sdk')).length;
  `;
  const child = spawnSync(process.execPath, ['-e', hide + script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

test('importing the audit module loads no SDK; running it names the package to install', () => {
  const result = runWithoutSdk(`
    const audit = require('./src/audit');
    const loadedAtImport = sdkLoaded();
    audit.readAuditInventory({ regions: ['eu-west-1'] }).then(
      () => console.log(JSON.stringify({ loadedAtImport, resolved: true })),
      (e) => console.log(JSON.stringify({ loadedAtImport, missing: audit.SdkMissingError.isSdkMissingError(e), packageName: e.packageName, message: e.message })),
    );
  `);
  expect(result).toEqual({
    loadedAtImport: 0,
    missing: true,
    packageName: '@aws-sdk/client-sts',
    // Every client the run needs, in one message: one install fixes it.
    message:
      'audit needs the AWS SDK packages @aws-sdk/client-sts, @aws-sdk/client-ecs, @aws-sdk/client-lambda, @aws-sdk/client-batch, which are not installed: ' +
      'run `npm install --save-dev @aws-sdk/client-sts @aws-sdk/client-ecs @aws-sdk/client-lambda @aws-sdk/client-batch` next to cdk-image-pinning ' +
      '(or `npx -p cdk-image-pinning -p @aws-sdk/client-sts -p @aws-sdk/client-ecs -p @aws-sdk/client-lambda -p @aws-sdk/client-batch cdk-image-pinning ...`)',
  });
});

test('the library index loads neither the audit module nor the SDK', () => {
  const result = runWithoutSdk(`
    require('./src');
    const audit = Object.keys(require.cache).filter((k) => k.includes('/src/audit/') || k.includes('/src/aws/'));
    console.log(JSON.stringify({ sdk: sdkLoaded(), audit }));
  `);
  expect(result).toEqual({ sdk: 0, audit: [] });
});

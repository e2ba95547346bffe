/**
 * Reads the Lambda functions of package type Image in one region: ListFunctions to its last page
 * (50 a page, `Marker`), then GetFunction for each Image function, which alone gives
 * `Code.ImageUri` (as configured) and `Code.ResolvedImageUri` (the digest Lambda resolved at
 * deploy time). Only `$LATEST` is read: published versions keep the image of their time.
 */
import type * as lambda from '@aws-sdk/client-lambda';
import { ApiCalls, CallScope } from './api-calls';
import { LambdaFunctionRecord } from './model';
import { listAll } from './pages';

export type LambdaSdk = typeof lambda;

export interface LambdaReadContext {
  readonly calls: ApiCalls;
  readonly scope: CallScope;
  readonly sdk: LambdaSdk;
  readonly client: lambda.LambdaClient;
}

const PAGE = 50;

export async function readLambda(ctx: LambdaReadContext): Promise<LambdaFunctionRecord[]> {
  const { sdk, client, calls, scope } = ctx;
  const functions = await listAll(async (Marker) => {
    const r = await calls.send(scope, 'lambda:ListFunctions', () => client.send(new sdk.ListFunctionsCommand({ MaxItems: PAGE, Marker })));
    return r && { items: r.Functions, next: r.NextMarker };
  });
  const images = functions.filter((f) => f.PackageType === 'Image' && f.FunctionName);
  const records = await Promise.all(images.map(async (f) => {
    const r = await calls.send(scope, 'lambda:GetFunction', () => client.send(new sdk.GetFunctionCommand({ FunctionName: f.FunctionName })), {
      resource: f.FunctionArn ?? f.FunctionName,
      // Deleted since it was listed.
      ignore: ['ResourceNotFoundException'],
    });
    if (!r) return undefined;
    const config = r.Configuration ?? f;
    const record: LambdaFunctionRecord = {
      arn: config.FunctionArn ?? f.FunctionArn ?? '',
      name: config.FunctionName ?? f.FunctionName!,
      ...(r.Code?.ImageUri ? { imageUri: r.Code.ImageUri } : {}),
      ...(r.Code?.ResolvedImageUri ? { resolvedImageUri: r.Code.ResolvedImageUri } : {}),
      // Lambda's default architecture is x86_64.
      architectures: config.Architectures?.length ? [...config.Architectures] : ['x86_64'],
      ...(config.LastModified ? { lastModified: config.LastModified } : {}),
    };
    return record;
  }));
  return records.filter((r): r is LambdaFunctionRecord => r !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

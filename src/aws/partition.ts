/** AWS partitions: `aws`, `aws-cn`, `aws-us-gov`, and the others, as ARNs name them. */

/** The partition of an ARN (`arn:aws-cn:...` is `aws-cn`), or undefined when it is not an ARN. */
export function partitionOfArn(arn: string): string | undefined {
  const match = /^arn:([a-z][a-z0-9-]*):/.exec(arn);
  return match?.[1];
}

/** The partition of a region by its documented prefixes; `aws` for the commercial regions. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** The ARN of an IAM role: `arn:<partition>:iam::<account>:role/<name>`. */
export function roleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/**
 * The ECR read operations of the fake endpoint (awsJson1.1, target prefix
 * `AmazonEC2ContainerRegistry_V20150921`): repositories with their tag mutability, images with
 * digests and tags, and an authorization token, as the registry client of `verify` reads them.
 */
import type { RegionContext } from './ecs-api';
import { ApiError, paginate } from './protocol';

export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

type Body = Record<string, unknown>;
const LIMITS = { defaultSize: 100, max: 1000, invalidCode: 'InvalidParameterException' };

export const ECR_OPERATIONS: Record<string, (ctx: RegionContext, body: Body) => unknown> = {
  DescribeRepositories(ctx, body) {
    const wanted = body.repositoryNames as string[] | undefined;
    let repositories = ctx.data.repositories.map((r) => r.repository);
    if (wanted?.length) {
      const missing = wanted.find((w) => !repositories.some((r) => r.repositoryName === w));
      if (missing) {
        throw new ApiError('RepositoryNotFoundException', `The repository with name '${missing}' does not exist in the registry with id '${ctx.account}'`);
      }
      repositories = repositories.filter((r) => wanted.includes(r.repositoryName!));
    }
    const page = paginate('DescribeRepositories', repositories, { token: body.nextToken as string, size: body.maxResults as number }, LIMITS, ctx.pageSizeCap);
    return { repositories: page.items, nextToken: page.nextToken };
  },

  DescribeImages(ctx, body) {
    const repo = ctx.data.repositories.find((r) => r.repository.repositoryName === body.repositoryName);
    if (!repo) {
      throw new ApiError('RepositoryNotFoundException', `The repository with name '${String(body.repositoryName)}' does not exist in the registry with id '${ctx.account}'`);
    }
    let images = repo.images;
    const ids = body.imageIds as Array<{ imageTag?: string; imageDigest?: string }> | undefined;
    if (ids?.length) {
      images = ids.map((id) => {
        const found = repo.images.find((i) => (id.imageDigest ? i.imageDigest === id.imageDigest : i.imageTags?.includes(id.imageTag!)));
        if (!found) {
          throw new ApiError('ImageNotFoundException', `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo.repository.repositoryName}' in the registry with id '${ctx.account}'`);
        }
        return found;
      });
    }
    const page = paginate(`DescribeImages/${repo.repository.repositoryName}`, images, { token: body.nextToken as string, size: body.maxResults as number }, LIMITS, ctx.pageSizeCap);
    return { imageDetails: page.items, nextToken: page.nextToken };
  },

  GetAuthorizationToken(ctx) {
    return {
      authorizationData: [{
        authorizationToken: Buffer.from(`AWS:fake-ecr-password-${ctx.account}`).toString('base64'),
        expiresAt: new Date(Date.now() + 12 * 3600_000),
        proxyEndpoint: `https://${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com`,
      }],
    };
  },
};

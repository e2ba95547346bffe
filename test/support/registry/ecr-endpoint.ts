import * as http from 'http';
import { close, listen, readRequestBody } from './loopback';

/**
 * A loopback stand-in for the ECR API, speaking awsJson1.1 as the real AWS SDK expects: `POST /`
 * with `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken`, answered with
 * `{"authorizationData": [{"authorizationToken": base64("AWS:<password>"), "expiresAt": <epoch s>,
 * "proxyEndpoint": ...}]}`. Point the SDK at it with `AWS_ENDPOINT_URL_ECR`. It records the target
 * and the SigV4 credential scope of each call, so tests see the SDK signed with the right region.
 */

export const GET_AUTHORIZATION_TOKEN = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';

export interface EcrCall {
  readonly target?: string;
  /** The access key id in the SigV4 Authorization header. */
  readonly accessKeyId?: string;
  /** The region in the SigV4 credential scope. */
  readonly region?: string;
  /** The signing service in the credential scope (`ecr`). */
  readonly service?: string;
}

export interface EcrEndpoint {
  readonly url: string;
  readonly calls: EcrCall[];
  /** What GetAuthorizationToken answers: a password, or an AWS error. */
  answer: { readonly password: string } | { readonly errorType: string; readonly message: string };
  stop(): Promise<void>;
}

export async function startEcrEndpoint(password: string): Promise<EcrEndpoint> {
  const calls: EcrCall[] = [];
  const state: { answer: EcrEndpoint['answer'] } = { answer: { password } };
  const server = http.createServer((req, res) => {
    void (async () => {
      await readRequestBody(req);
      const target = req.headers['x-amz-target'] as string | undefined;
      const scope = /Credential=([^/]+)\/[0-9]{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
      calls.push({ target, accessKeyId: scope?.[1], region: scope?.[2], service: scope?.[3] });
      const json = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (target !== GET_AUTHORIZATION_TOKEN) {
        return json(400, { __type: 'UnknownOperationException', message: `not served here: ${target}` });
      }
      const answer = state.answer;
      if ('errorType' in answer) {
        return json(400, { __type: answer.errorType, message: answer.message });
      }
      json(200, {
        authorizationData: [{
          authorizationToken: Buffer.from(`AWS:${answer.password}`).toString('base64'),
          expiresAt: Math.floor(Date.now() / 1000) + 12 * 3600,
          proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        }],
      });
    })();
  });
  const host = await listen(server);
  return {
    url: `http://${host}`,
    calls,
    get answer() {
      return state.answer;
    },
    set answer(value) {
      state.answer = value;
    },
    stop: () => close(server),
  };
}

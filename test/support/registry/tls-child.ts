/**
 * Run as a child process with NODE_EXTRA_CA_CERTS naming the test CA (Node reads it at start-up
 * only): pushes an image to the TLS registry at argv[2], resolves it through the client with the
 * registry named `registry.test` and mirrored to that URL, and prints the result as JSON.
 */
import { LINUX_AMD64, pushImage } from './images';
import { RegistryPusher } from './push';
import { ImageReference } from '../../../src/reference/image-reference';
import { RegistryClient } from '../../../src/registry/registry-client';

async function main(): Promise<void> {
  const url = process.argv[2];
  const image = await pushImage(new RegistryPusher(url), 'team/tls', '1.0.0', LINUX_AMD64);
  const client = new RegistryClient({ registryMirrors: [`registry.test=${url}`], retries: 0 });
  const resolution = await client.resolve(ImageReference.parse('registry.test/team/tls:1.0.0'), { platforms: true });
  process.stdout.write(JSON.stringify({ pushed: image.digest, resolution }));
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});

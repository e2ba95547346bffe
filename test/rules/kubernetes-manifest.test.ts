import { EMPTY_CONTEXT } from '../../src/cfn/template-context';
import { IMAGE_SOURCES } from '../../src/rules/catalog';
import { findImages, TEMPLATE_READER } from '../../src/rules/image-sources';

const EKS = IMAGE_SOURCES.find((s) => s.resourceType === 'Custom::AWSCDK-EKS-KubernetesResource')!;
const images = (manifest: unknown) =>
  findImages(EKS, { Manifest: manifest }, TEMPLATE_READER, EMPTY_CONTEXT)
    .map((f) => ({ label: f.labelValue, image: f.value?.toString(), path: f.propertyPath }));

describe('Kubernetes manifests: images in a JSON string', () => {
  const deployment = {
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27.3' }], initContainers: [{ name: 'setup', image: 'busybox' }] } } },
  };

  test('pod templates of each kind, containers and init containers, with their paths', () => {
    const cron = { kind: 'CronJob', metadata: { name: 'nightly' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'job:2' }] } } } } } };
    expect(images(JSON.stringify([deployment, cron]))).toEqual([
      { label: 'Deployment/web/app', image: 'nginx:1.27.3', path: 'Manifest.0.spec.template.spec.containers.0.image' },
      { label: 'Deployment/web/setup', image: 'busybox', path: 'Manifest.0.spec.template.spec.initContainers.0.image' },
      { label: 'CronJob/nightly/job', image: 'job:2', path: 'Manifest.1.spec.jobTemplate.spec.template.spec.containers.0.image' },
    ]);
  });

  test('a List holds its objects in items', () => {
    expect(images(JSON.stringify({ kind: 'List', items: [deployment] })).map((i) => i.label)).toEqual(['Deployment/web/app', 'Deployment/web/setup']);
  });

  test('a deploy-time part inside an image is put back where it was', () => {
    const manifest = { 'Fn::Join': ['', ['[{"kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"app:', { Ref: 'Tag' }, '"}]}}]']] };
    expect(images(manifest)).toEqual([{ label: 'Pod/p/c', image: 'app:<ref:Tag>', path: 'Manifest.0.spec.containers.0.image' }]);
  });

  test('a manifest that cannot be read at synth time is one unknown image, not none', () => {
    const manifest = { 'Fn::Join': ['', ['[', { Ref: 'Objects' }, ']']] };
    expect(images(manifest)).toEqual([{ label: 'Manifest', image: '<manifest>', path: 'Manifest' }]);
  });
});

import { InvalidArgumentError } from 'commander';
import { collectInsecure, collectMirror, parseConcurrency, parseTimeout, registryClientOptions } from '../../../src/cli/online/registry-flags';

describe('the registry flags', () => {
  test('mirrors and insecure registries collect; bad shapes are argument errors', () => {
    expect(collectMirror('docker.io=https://m.example.com', collectMirror('ghcr.io=https://g.example.com', undefined))).toEqual(['ghcr.io=https://g.example.com', 'docker.io=https://m.example.com']);
    expect(() => collectMirror('docker.io', undefined)).toThrow(InvalidArgumentError);
    expect(() => collectMirror('docker.io=not a url', undefined)).toThrow(/is not a URL/);
    expect(collectInsecure('registry.internal:5000', undefined)).toEqual(['registry.internal:5000']);
    expect(() => collectInsecure('https://registry.internal', undefined)).toThrow(/without a scheme/);
  });

  test('--concurrency sets the limit overall, and per registry host unless the host default (6) is lower', () => {
    expect(registryClientOptions({ concurrency: 2 }, {})).toMatchObject({ maxConcurrency: 2, maxConcurrencyPerHost: 2 });
    expect(registryClientOptions({ concurrency: 32 }, {})).toMatchObject({ maxConcurrency: 32, maxConcurrencyPerHost: 6 });
    expect(registryClientOptions({}, {})).not.toHaveProperty('maxConcurrency');
    expect(() => parseConcurrency('1.5')).toThrow(InvalidArgumentError);
    expect(() => parseConcurrency('257')).toThrow(InvalidArgumentError);
  });

  test('--timeout is seconds per attempt', () => {
    expect(registryClientOptions({ timeout: parseTimeout('2.5') }, {})).toMatchObject({ timeoutMs: 2500 });
    expect(() => parseTimeout('0')).toThrow(InvalidArgumentError);
    expect(() => parseTimeout('30s')).toThrow(InvalidArgumentError);
  });
});

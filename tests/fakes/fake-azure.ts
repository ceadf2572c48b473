/**
 * Fake Azure OpenAI: the OpenAI fake behind Azure's URLs and `api-key` auth. Classic deployment URLs
 * (/openai/deployments/{deployment}/images/...?api-version=...) and the v1 form (/openai/v1/images/...).
 */
import { FakeOpenAI } from './fake-openai';

export function createFakeAzure(options: { apiKey?: string; deployments?: Record<string, string>; apiVersion?: string } = {}): FakeOpenAI {
  const deployments = options.deployments ?? { 'image-deploy': 'gpt-image-2' };
  const apiVersion = options.apiVersion ?? '2025-04-01-preview';
  return new FakeOpenAI({
    apiKey: options.apiKey ?? 'azure-test-key-0123456789abcdef',
    auth: 'api-key',
    models: deployments,
    route(request) {
      const classic = /^\/openai\/deployments\/([^/]+)\/images\/(generations|edits)$/.exec(request.path);
      if (classic) {
        if (request.query['api-version'] !== apiVersion) return null;
        // The deployment in the URL decides the model; a body `model` is ignored as Azure does.
        return { endpoint: classic[2] as 'generations' | 'edits', model: classic[1] };
      }
      const v1 = /^\/openai\/v1\/images\/(generations|edits)$/.exec(request.path);
      return v1 ? { endpoint: v1[1] as 'generations' | 'edits' } : null;
    },
  });
}

import { ConfigError, parsePluginConfig } from '../../../server/src/config/schema';
import { createProviderRegistry } from '../../../server/src/providers/registry';
import { silentLog } from '../../fixtures/fake-strapi';

function buildError(providers: Record<string, Record<string, unknown>>): Error {
  try {
    createProviderRegistry().build(parsePluginConfig({ providers }), silentLog);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the build to fail');
}

describe('provider URL options', () => {
  it.each([
    ['openai baseUrl', { studio: { type: 'openai', apiKey: 'k', baseUrl: 'https://alice:hunter2pass@api.example.test/v1' } }, 'providers.studio.baseUrl'],
    ['openai baseUrl with a user only', { studio: { type: 'openai', apiKey: 'k', baseUrl: 'https://alice@api.example.test/v1' } }, 'providers.studio.baseUrl'],
    ['azure endpoint', { az: { type: 'azure-openai', apiKey: 'k', deployment: 'd', endpoint: 'https://bob:hunter2pass@res.openai.azure.com' } }, 'providers.az.endpoint'],
    ['kie baseUrl', { kie: { type: 'kie', apiKey: 'k', baseUrl: 'http://carol:hunter2pass@127.0.0.1:9' } }, 'providers.kie.baseUrl'],
    ['kie callBackUrl', { kie: { type: 'kie', apiKey: 'k', callBackUrl: 'https://dave:hunter2pass@hooks.example.test/cb' } }, 'providers.kie.callBackUrl'],
  ])('refuses credentials in the %s at startup, naming the key and not echoing the password', (_label, providers, key) => {
    const error = buildError(providers);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`${key}: must not contain credentials`);
    expect(error.message).not.toContain('hunter2pass');
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ftp://api.example.test'])('refuses the non-http baseUrl %s', (baseUrl) => {
    expect(buildError({ studio: { type: 'openai', apiKey: 'k', baseUrl } }).message).toContain('providers.studio.baseUrl');
  });
});

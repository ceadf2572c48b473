/** Bad config stops Strapi at startup with a message that names the key. */
import { bootPlayground, newWorkDir, removeWorkDir } from './support/playground';
import { config, coverRule } from './support/configs';

describe('startup config validation', () => {
  const workDir = newWorkDir();
  afterAll(() => removeWorkDir(workDir));

  it.each([
    ['a target that is not a media field', config([{ ...coverRule, target: 'title' }]), 'ai-assets: rules[0].target: "title" is not a media field of api::article.article'],
    ['a rendition target that is not a media field', config([{ ...coverRule, output: [{ name: 'og', width: 1200, height: 630, target: 'title' }] }]), 'ai-assets: rules[0].output[0].target: "title" is not a media field of api::article.article'],
    ['an unknown content type', config([{ ...coverRule, contentType: 'api::nope.nope' }]), 'ai-assets: rules[0].contentType: "api::nope.nope" is not a content type of this app'],
    ['a template field that does not exist', config([{ ...coverRule, prompt: 'Cover for {{headline}}' }]), 'ai-assets: rules[0].prompt: template field "headline": "headline" is not a field of api::article.article'],
    ['an unknown provider', config([{ ...coverRule, provider: 'dall-e' }]), 'ai-assets: rules[0].provider: "dall-e" is not a configured provider'],
    ['params the provider rejects', config([{ ...coverRule, params: { size: 'huge' } }]), 'ai-assets: rules[0].params.size: must be "auto" or "WIDTHxHEIGHT"'],
    ['a rule id that is not kebab-case', config([{ ...coverRule, id: 'Article Cover' }]), 'ai-assets: rules[0].id: must be kebab-case'],
    ['an unknown provider type', config([coverRule], { providers: { studio: { type: 'midjourney' } } }), 'ai-assets: providers.studio.type: unknown provider type "midjourney"'],
    ['a prompt reading the admin author', config([{ ...coverRule, prompt: 'By {{createdBy.email}}' }]), 'ai-assets: rules[0].prompt: template field "createdBy.email" is not readable by templates'],
    ['a provider baseUrl with credentials', config([coverRule], { providers: { studio: { type: 'openai', apiKey: 'k', baseUrl: 'https://user:pass@api.example.test/v1' } } }), 'ai-assets: providers.studio.baseUrl: must not contain credentials'],
    ['an admin type opened to templates', config([coverRule], { templateContentTypes: ['admin::user'] }), 'ai-assets: templateContentTypes[0]: must be a plugin content-type uid'],
    [
      'a publish rule on a type without Draft & Publish',
      config([{ ...coverRule, id: 'snippet-image', contentType: 'api::snippet.snippet', prompt: 'Picture of {{title}}', target: 'image', altText: '{{title}}', caption: undefined }]),
      'ai-assets: rules[0].on: "publish" never happens on api::snippet.snippet (Draft & Publish is off): use "create" and/or "update" instead',
    ],
    ['a queue setting out of range', config([coverRule], { queue: { concurrency: 0 } }), 'ai-assets: queue.concurrency'],
    ['batch mode on a provider without a Batch API', config([{ ...coverRule, mode: 'batch' }]), 'ai-assets: rules[0].mode: "batch" needs a provider with a Batch API (type openai); "studio" is of type local'],
    ['batch mode on an edit rule', config([{ ...coverRule, operation: 'edit', source: 'cover', mode: 'batch' }]), 'ai-assets: rules[0].mode: "batch" is only available for operation "generate"'],
    ['a batch poll interval out of range', config([coverRule], { batch: { pollIntervalMs: 10 } }), 'ai-assets: batch.pollIntervalMs'],
  ])('refuses to start with %s', async (_case, badConfig, message) => {
    await expect(bootPlayground({ config: badConfig, workDir })).rejects.toThrow(message);
  });
});

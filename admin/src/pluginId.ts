/** The plugin id: admin route segment, server route prefix and translation prefix. */
export const pluginId = 'ai-assets';

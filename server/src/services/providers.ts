/**
 * The provider registry as a service. Host apps register custom provider types from their own
 * `register()`: `strapi.plugin('ai-assets').service('providers').registerType({ type, optionsSchema, create })`.
 */
import type { Core } from '@strapi/strapi';
import { createProviderRegistry } from '../providers/registry';

export const createProvidersService = (_context: { strapi: Core.Strapi }) => createProviderRegistry();

export type ProvidersService = ReturnType<typeof createProvidersService>;

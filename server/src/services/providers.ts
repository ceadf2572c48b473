/**
 * The provider registry as a service. Host apps register custom provider types from their own
 * `register()`: `strapi.plugin('ai-assets').service('providers').registerType({ type, optionsSchema, create })`.
 */
import type { Core } from '@strapi/strapi';
import { BUILT_IN_PROVIDER_TYPES, createProviderRegistry } from '../providers/registry';
import { createSharedLimitStateStore } from '../providers/shared-limit-state';

/** Limits are kept in the database, so they hold across every instance that shares it. */
export const createProvidersService = ({ strapi }: { strapi: Core.Strapi }) =>
  createProviderRegistry(BUILT_IN_PROVIDER_TYPES, { limitState: createSharedLimitStateStore({ strapi }) });

export type ProvidersService = ReturnType<typeof createProvidersService>;

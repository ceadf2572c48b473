/** Admin users and authenticated HTTP calls against a booted playground. */
import request from 'supertest';
import type { Core } from '@strapi/strapi';

export const PASSWORD = 'Passw0rd!Passw0rd';

export async function createSuperAdmin(strapi: Core.Strapi, email = 'super@example.test'): Promise<void> {
  const role = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({ email, firstname: 'Super', lastname: 'Admin', password: PASSWORD, isActive: true, roles: [role.id] });
}

/** A role holding exactly the given plugin actions (plus content-manager read of articles). */
export async function createUserWithActions(strapi: Core.Strapi, email: string, actions: string[]): Promise<void> {
  const role = await strapi.service('admin::role').create({ name: `Role ${email}`, description: 'test role' });
  await strapi.service('admin::role').assignPermissions(
    role.id,
    actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] }))
  );
  await strapi.service('admin::user').create({ email, firstname: 'Test', lastname: 'User', password: PASSWORD, isActive: true, roles: [role.id] });
}

export async function login(strapi: Core.Strapi, email: string): Promise<string> {
  const response = await request(strapi.server.httpServer).post('/admin/login').send({ email, password: PASSWORD });
  if (response.status !== 200) throw new Error(`login failed for ${email}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data.token as string;
}

export function api(strapi: Core.Strapi, token: string) {
  const server = strapi.server.httpServer;
  return {
    get: (path: string) => request(server).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: unknown = {}) => request(server).post(path).set('Authorization', `Bearer ${token}`).send(body as object),
    delete: (path: string) => request(server).delete(path).set('Authorization', `Bearer ${token}`),
  };
}

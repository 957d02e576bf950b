/**
 * The Connect emulator's HTTP surface: each operation at the method and path the SDK's restJson1
 * model gives it (@aws-sdk/client-connect's schemas), so the real client needs only an endpoint.
 */
import type * as z from '../../../lambdas/shared/zod';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { ConnectApiError, connectErrorResponse } from './connect-errors';
import type { ConnectEmulator, PageRequest } from './connect-emulator';
import type { ConnectThrottleRates } from './connect-throttle';
import {
  createUserBodySchema,
  getCurrentUserDataBodySchema,
  putUserStatusBodySchema,
  tagResourceBodySchema,
  searchUsersBodySchema,
  updateHierarchyBodySchema,
  updateIdentityInfoBodySchema,
  updatePhoneConfigBodySchema,
  updateRoutingProfileBodySchema,
  updateSecurityProfilesBodySchema,
} from './connect-model';

function parseBody<T>(schema: z.ZodMiniType<T>, req: EmulatorRequest): T {
  let json: unknown;
  try {
    json = req.body ? JSON.parse(req.body) : {};
  } catch {
    throw new ConnectApiError('InvalidRequestException', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `Value at '${i.path.join('.')}' failed to satisfy constraint: ${i.message}`);
    throw new ConnectApiError('InvalidParameterException', `${detail.length} validation error(s) detected: ${detail.join('; ')}`);
  }
  return parsed.data;
}

/** ListUsers and the other List operations take their paging in the query string. */
function pageOf(req: EmulatorRequest): PageRequest {
  const maxResults = req.query.get('maxResults');
  return { nextToken: req.query.get('nextToken') ?? undefined, maxResults: maxResults === null ? undefined : Number(maxResults) };
}

const ok = (body?: unknown): EmulatorResponse => ({ status: 200, body });

type Handler = (req: EmulatorRequest, params: string[]) => EmulatorResponse;

function route(method: string, pattern: RegExp, handler: Handler): EmulatorRoute {
  return {
    method,
    pattern,
    handle: (req) => {
      try {
        return handler(req, req.params);
      } catch (err) {
        if (err instanceof ConnectApiError) return connectErrorResponse(err.errorName, err.message, err.status);
        // Anything else is an emulator bug; answer as the service's own 500 so the client sees a Connect error.
        return connectErrorResponse('InternalServiceException', `emulator error: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

const SEG = '([^/]+)';

/**
 * Everything the Connect emulator serves: its API behind fault injection, the fault controls under
 * /_emulator/connect/, and its whole state at /_emulator/connect/state (as Google's and Notion's).
 */
export function connectEmulatorRoutes(connect: ConnectEmulator): EmulatorRoute[] {
  return [
    ...connect.faults.wrap(connectRoutes(connect)),
    ...connect.faults.controlRoutes(),
    ...throttleRoutes(connect),
    { method: 'GET', pattern: /^\/_emulator\/connect\/state$/, handle: () => ({ status: 200, body: connect.toJSON() }) },
    ...deskRoutes(connect),
  ];
}

/**
 * The throttle's controls, for benchmarks over HTTP: POST `{ "rates": "documented" }` (or rates of your own, or null
 * to turn it off) and GET what it counted.
 */
function throttleRoutes(connect: ConnectEmulator): EmulatorRoute[] {
  const path = /^\/_emulator\/connect\/throttle$/;
  return [
    {
      method: 'POST',
      pattern: path,
      handle: (req) => {
        const { rates } = JSON.parse(req.body || '{}') as { rates?: ConnectThrottleRates | 'documented' | null };
        connect.throttle.set(rates ?? undefined);
        return { status: 200, body: connect.throttle.toJSON() };
      },
    },
    { method: 'GET', pattern: path, handle: () => ({ status: 200, body: connect.throttle.toJSON() }) },
  ];
}

/**
 * The agent's side, for trying a leaver on a call by hand under `npm start` (tests call the emulator's methods):
 * log an agent in, route them a contact, end it (after-contact work) and clear it.
 */
function deskRoutes(connect: ConnectEmulator): EmulatorRoute[] {
  const base = '/_emulator/connect/desk';
  const desk = (method: string, pattern: string, handle: (req: EmulatorRequest, params: string[]) => unknown): EmulatorRoute => ({
    method,
    pattern: new RegExp(`^${base}/${SEG}/${pattern}$`),
    handle: (req) => {
      try {
        return { status: 200, body: handle(req, req.params) ?? {} };
      } catch (err) {
        return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
      }
    },
  });
  const json = (req: EmulatorRequest) => (req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {});
  return [
    desk('POST', `agents/${SEG}/login`, (req, [instanceId, userId]) => {
      const status = json(req).status;
      connect.logIn(instanceId, userId, typeof status === 'string' ? status : undefined);
    }),
    desk('POST', `agents/${SEG}/contacts`, (req, [instanceId, userId]) => {
      const channel = json(req).channel;
      return { contactId: connect.routeContact(instanceId, userId, { channel: channel === 'CHAT' || channel === 'TASK' || channel === 'EMAIL' ? channel : 'VOICE' }) };
    }),
    desk('POST', `contacts/${SEG}/end`, (_req, [instanceId, contactId]) => connect.endContact(instanceId, contactId)),
    desk('POST', `contacts/${SEG}/clear`, (_req, [instanceId, contactId]) => connect.clearContact(instanceId, contactId)),
  ];
}

/** The Connect API operations the clients call. */
export function connectRoutes(connect: ConnectEmulator): EmulatorRoute[] {
  // Every operation takes a token from its API's bucket first, when the emulator throttles (ConnectThrottle).
  const op = (api: string, method: string, pattern: RegExp, handler: Handler) => route(method, pattern, (req, params) => connect.throttle.check(api) ?? handler(req, params));
  return [
    // Users
    op('CreateUser', 'PUT', new RegExp(`^/users/${SEG}$`), (req, [instanceId]) => ok(connect.createUser(instanceId, parseBody(createUserBodySchema, req)))),
    op('DescribeUser', 'GET', new RegExp(`^/users/${SEG}/${SEG}$`), (_req, [instanceId, userId]) => ok(connect.describeUser(instanceId, userId))),
    op('DeleteUser', 'DELETE', new RegExp(`^/users/${SEG}/${SEG}$`), (_req, [instanceId, userId]) => {
      connect.deleteUser(instanceId, userId);
      return ok();
    }),
    op('ListUsers', 'GET', new RegExp(`^/users-summary/${SEG}$`), (req, [instanceId]) => ok(connect.listUsers(instanceId, pageOf(req)))),
    op('SearchUsers', 'POST', /^\/search-users$/, (req) => ok(connect.searchUsers(parseBody(searchUsersBodySchema, req)))),
    op('UpdateUserRoutingProfile', 'POST', new RegExp(`^/users/${SEG}/${SEG}/routing-profile$`), (req, [instanceId, userId]) => {
      connect.updateUserRoutingProfile(instanceId, userId, parseBody(updateRoutingProfileBodySchema, req).RoutingProfileId);
      return ok();
    }),
    op('UpdateUserSecurityProfiles', 'POST', new RegExp(`^/users/${SEG}/${SEG}/security-profiles$`), (req, [instanceId, userId]) => {
      connect.updateUserSecurityProfiles(instanceId, userId, parseBody(updateSecurityProfilesBodySchema, req).SecurityProfileIds);
      return ok();
    }),
    op('UpdateUserHierarchy', 'POST', new RegExp(`^/users/${SEG}/${SEG}/hierarchy$`), (req, [instanceId, userId]) => {
      connect.updateUserHierarchy(instanceId, userId, parseBody(updateHierarchyBodySchema, req).HierarchyGroupId);
      return ok();
    }),
    op('UpdateUserPhoneConfig', 'POST', new RegExp(`^/users/${SEG}/${SEG}/phone-config$`), (req, [instanceId, userId]) => {
      connect.updateUserPhoneConfig(instanceId, userId, parseBody(updatePhoneConfigBodySchema, req).PhoneConfig);
      return ok();
    }),
    op('UpdateUserIdentityInfo', 'POST', new RegExp(`^/users/${SEG}/${SEG}/identity-info$`), (req, [instanceId, userId]) => {
      connect.updateUserIdentityInfo(instanceId, userId, parseBody(updateIdentityInfoBodySchema, req).IdentityInfo);
      return ok();
    }),
    op('TagResource', 'POST', /^\/tags\/(.+)$/, (req, [arn]) => {
      connect.tagResource(decodeURIComponent(arn), parseBody(tagResourceBodySchema, req).tags);
      return ok();
    }),
    // What an agent is doing now: their status and their contacts
    op('ListAgentStatuses', 'GET', new RegExp(`^/agent-status/${SEG}$`), (req, [instanceId]) => ok(connect.listAgentStatuses(instanceId, pageOf(req), req.query.getAll('AgentStatusTypes')))),
    op('PutUserStatus', 'PUT', new RegExp(`^/users/${SEG}/${SEG}/status$`), (req, [instanceId, userId]) => {
      connect.putUserStatus(instanceId, userId, parseBody(putUserStatusBodySchema, req).AgentStatusId);
      return ok({});
    }),
    op('GetCurrentUserData', 'POST', new RegExp(`^/metrics/userdata/${SEG}$`), (req, [instanceId]) => ok(connect.getCurrentUserData(instanceId, parseBody(getCurrentUserDataBodySchema, req)))),
    // The instance itself
    op('DescribeInstance', 'GET', new RegExp(`^/instance/${SEG}$`), (_req, [instanceId]) => ok(connect.describeInstance(instanceId))),
    // What a user may be given
    op('ListRoutingProfiles', 'GET', new RegExp(`^/routing-profiles-summary/${SEG}$`), (req, [instanceId]) => ok(connect.listRoutingProfiles(instanceId, pageOf(req)))),
    op('DescribeRoutingProfile', 'GET', new RegExp(`^/routing-profiles/${SEG}/${SEG}$`), (_req, [instanceId, id]) => ok(connect.describeRoutingProfile(instanceId, id))),
    op('ListRoutingProfileQueues', 'GET', new RegExp(`^/routing-profiles/${SEG}/${SEG}/queues$`), (req, [instanceId, id]) => ok(connect.listRoutingProfileQueues(instanceId, id, pageOf(req)))),
    op('ListQueues', 'GET', new RegExp(`^/queues-summary/${SEG}$`), (req, [instanceId]) => ok(connect.listQueues(instanceId, pageOf(req), req.query.getAll('queueTypes')))),
    op('ListSecurityProfiles', 'GET', new RegExp(`^/security-profiles-summary/${SEG}$`), (req, [instanceId]) => ok(connect.listSecurityProfiles(instanceId, pageOf(req)))),
    op('ListUserHierarchyGroups', 'GET', new RegExp(`^/user-hierarchy-groups-summary/${SEG}$`), (req, [instanceId]) => ok(connect.listUserHierarchyGroups(instanceId, pageOf(req)))),
    op('DescribeUserHierarchyGroup', 'GET', new RegExp(`^/user-hierarchy-groups/${SEG}/${SEG}$`), (_req, [instanceId, id]) => ok(connect.describeUserHierarchyGroup(instanceId, id))),
  ];
}

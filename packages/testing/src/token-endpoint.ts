import type { Context } from 'hono';
import { signAccessToken } from './access-token.js';
import type { AuthServerState, RegisteredClient } from './auth-server-state.js';
import { type PresentedClient, readPresentedClient } from './client-authentication.js';
import { ConnectionDroppedError } from './connection-dropped.js';
import { delay } from './delay.js';
import type { FailureResponse, Fault, MalformedKind } from './faults.js';
import { oauthError } from './oauth-error.js';
import { oversizedBody, tricklingBody } from './streamed-body.js';

const invalidClientDescription = 'Invalid client or Invalid client credentials';
const defaultLifetimeSeconds = 300;

interface TokenRequest {
  readonly realm: string;
  readonly issuer: string;
  readonly form: URLSearchParams;
  readonly isForm: boolean;
  readonly client: PresentedClient;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...headers,
    },
  });

const retryAfter = (seconds: number | undefined): Record<string, string> =>
  seconds === undefined ? {} : { 'Retry-After': String(seconds) };

function failure(response: FailureResponse): Response {
  const { status, body, contentType } = response;
  const headers = retryAfter(response.retryAfter);
  if (typeof body === 'string') {
    return new Response(body, {
      status,
      headers: { 'Content-Type': contentType ?? 'text/plain', ...headers },
    });
  }
  const error = status === 503 || status === 429 ? 'temporarily_unavailable' : 'server_error';
  const payload = body ?? {
    error,
    error_description: `Fault injected by @grantkit/testing (HTTP ${status})`,
  };
  return new Response(JSON.stringify(payload), {
    status,
    headers: { 'Content-Type': contentType ?? 'application/json', ...headers },
  });
}

async function issue(
  state: AuthServerState,
  request: TokenRequest,
  clientId: string,
  client: RegisteredClient | undefined,
  scope: string,
): Promise<{ token: string; lifetimeSeconds: number }> {
  const audiences = [...request.form.getAll('audience'), ...request.form.getAll('resource')];
  const lifetimeSeconds = client?.lifetimeSeconds ?? defaultLifetimeSeconds;
  const { token } = await signAccessToken(state.key, {
    issuer: request.issuer,
    clientId,
    audience:
      audiences.length === 0 ? 'account' : audiences.length === 1 ? (audiences[0] as string) : audiences,
    scope,
    issuedAt: state.clock.now(),
    lifetimeSeconds,
  });
  state.issuedTokens += 1;
  return { token, lifetimeSeconds };
}

async function malformed(
  state: AuthServerState,
  request: TokenRequest,
  kind: MalformedKind,
): Promise<Response> {
  if (kind === 'html') {
    return new Response('<!doctype html><html><body><h1>Service Unavailable</h1></body></html>', {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
  }
  if (kind === 'not-json') {
    return new Response('{"access_token": "trunc', {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }
  if (kind === 'missing-access-token') {
    return json({ token_type: 'Bearer', expires_in: 300 });
  }
  const clientId = request.client.clientId ?? 'unknown-client';
  const client = state.realms.get(request.realm)?.get(clientId);
  const { token, lifetimeSeconds } = await issue(
    state,
    request,
    clientId,
    client,
    client?.scopes.join(' ') ?? '',
  );
  if (kind === 'wrong-token-type') {
    return json({ access_token: token, token_type: 'mac', expires_in: lifetimeSeconds });
  }
  if ('access_token' in kind) {
    const given = kind.expires_in === undefined ? {} : { expires_in: kind.expires_in };
    return json({ access_token: kind.access_token, token_type: 'Bearer', ...given });
  }
  const expiresIn = kind.expires_in === undefined ? {} : { expires_in: kind.expires_in };
  return json({ access_token: token, token_type: 'Bearer', ...expiresIn });
}

async function applyFault(
  state: AuthServerState,
  request: TokenRequest,
  fault: Fault,
  signal: AbortSignal,
  entry: AuthServerState['log'][number],
): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'fail':
      return failure(fault.response);
    case 'malformed':
      return malformed(state, request, fault.shape);
    case 'drop':
      throw new ConnectionDroppedError();
    case 'hang':
      await state.faults.waitForRelease(signal);
      return undefined;
    case 'oversized': {
      const { bytes, gzip = false } = fault.response;
      entry.producedBytes = 0;
      const body = oversizedBody(bytes, gzip, (produced) => {
        entry.producedBytes = produced;
      });
      const encoding: Record<string, string> = gzip ? { 'Content-Encoding': 'gzip' } : {};
      return new Response(body, { headers: { 'Content-Type': 'application/json', ...encoding } });
    }
    case 'trickle': {
      const good = await answer(state, request);
      const body = tricklingBody(await good.text(), fault.intervalMs, signal);
      return new Response(body, { status: good.status, headers: good.headers });
    }
  }
}

function badClient(state: AuthServerState, request: TokenRequest): Response {
  if (state.unknownClientStyle === '400-invalid_client') {
    return oauthError(400, 'invalid_client', invalidClientDescription);
  }
  const challenge: Record<string, string> =
    request.client.method === 'basic' ? { 'WWW-Authenticate': `Basic realm="${request.realm}"` } : {};
  return oauthError(401, 'unauthorized_client', invalidClientDescription, challenge);
}

async function answer(state: AuthServerState, request: TokenRequest): Promise<Response> {
  const clients = state.realms.get(request.realm);
  if (!clients) return json({ error: 'Realm does not exist' }, 404);
  if (!request.isForm) {
    return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const grantType = request.form.get('grant_type');
  if (grantType === null) return oauthError(400, 'invalid_request', 'Missing form parameter: grant_type');
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
  }
  const { problem, clientId, clientSecret } = request.client;
  if (problem !== undefined) return oauthError(400, 'invalid_request', problem);
  const client = clientId === undefined ? undefined : clients.get(clientId);
  if (clientId === undefined || !client || clientSecret !== client.secret) return badClient(state, request);

  const requested = (request.form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
  const unknown = requested.filter((scope) => !client.scopes.includes(scope));
  if (unknown.length > 0) return oauthError(400, 'invalid_scope', `Invalid scopes: ${unknown.join(' ')}`);
  const scope = (requested.length > 0 ? requested : client.scopes).join(' ');

  const { token, lifetimeSeconds } = await issue(state, request, clientId, client, scope);
  return json({
    access_token: token,
    expires_in: lifetimeSeconds,
    refresh_expires_in: 0,
    token_type: 'Bearer',
    'not-before-policy': 0,
    scope,
  });
}

/** The `POST .../protocol/openid-connect/token` handler for routes under `prefix` (`''` or `'/auth'`). */
export function tokenEndpoint(state: AuthServerState, prefix: string) {
  return async (c: Context): Promise<Response> => {
    const realm = c.req.param('realm') ?? '';
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(c.req.header('Content-Type') ?? '');
    const form = isForm ? new URLSearchParams(await c.req.text()) : new URLSearchParams();
    const client = readPresentedClient(c.req.header('Authorization'), form, state.basicDecoding);
    const origin = state.baseUrl ?? new URL(c.req.url).origin;
    const request: TokenRequest = {
      realm,
      issuer: `${origin}${prefix}/realms/${realm}`,
      form,
      isForm,
      client,
    };

    const entry: AuthServerState['log'][number] = {
      at: state.clock.now(),
      path: c.req.path,
      realm,
      status: 0,
      auth: client.method,
    };
    if (client.clientId !== undefined) entry.clientId = client.clientId;
    const grantType = form.get('grant_type');
    if (grantType !== null) entry.grantType = grantType;
    const scope = form.get('scope');
    if (scope !== null) entry.scope = scope;
    state.log.push(entry);

    const signal = c.req.raw.signal;
    if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs, signal);
    const fault = state.faults.take();
    if (fault) entry.fault = fault.kind;
    const faulted = fault ? await applyFault(state, request, fault, signal, entry) : undefined;
    const response = faulted ?? (await answer(state, request));
    entry.status = response.status;
    return response;
  };
}

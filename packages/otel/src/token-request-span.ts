import type { GrantkitError, TokenEvent } from '@grantkit/core';
import {
  type Attributes,
  type Context,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

type TokenRequestEvent = Extract<TokenEvent, { type: 'token-request' }>;

/**
 * Starts the `CLIENT` span of one token request attempt. A foreground request (callers wait on it) is a
 * child of the caller's context; a background refresh belongs to no caller's trace, so it starts a trace of
 * its own, linked to the span of the call that triggered it.
 */
export function startTokenRequestSpan(
  tracer: Tracer,
  event: TokenRequestEvent,
  caller: Context,
  attributes: Attributes,
): Span {
  const spanAttributes: Attributes = {
    ...attributes,
    'oauth2.grant_type': 'client_credentials',
    'oauth2.client_auth_method': event.clientAuth,
    'grantkit.background': event.background,
    'grantkit.attempt': event.attempt,
  };
  if (!event.background) {
    return tracer.startSpan(
      'grantkit.token_request',
      { kind: SpanKind.CLIENT, attributes: spanAttributes },
      caller,
    );
  }
  const trigger = trace.getSpanContext(caller);
  return tracer.startSpan(
    'grantkit.token_request',
    {
      kind: SpanKind.CLIENT,
      attributes: spanAttributes,
      root: true,
      ...(trigger && isSpanContextValid(trigger) && { links: [{ context: trigger }] }),
    },
    caller,
  );
}

/**
 * Ends a token request span; a failure sets status `ERROR`, `error.type` (the Grantkit error `code`) and,
 * when the server sent them, `oauth2.error` (RFC 6749 §5.2) and `http.response.status_code`. Never the
 * error's message: it may name the token URL, whose path names the tenant.
 */
export function endTokenRequestSpan(span: Span, error: GrantkitError | undefined): void {
  if (error) {
    const oauthError = (error as { readonly error?: unknown }).error;
    span.setAttributes({
      'error.type': error.code,
      ...(typeof oauthError === 'string' && { 'oauth2.error': oauthError }),
      ...(typeof error.endpointStatus === 'number' && { 'http.response.status_code': error.endpointStatus }),
    });
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

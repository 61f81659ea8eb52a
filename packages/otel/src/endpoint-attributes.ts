import type { Attributes } from '@opentelemetry/api';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/**
 * `server.address` and `server.port` of a token endpoint (and `url.path` when the user opted in: the path
 * names the tenant's realm on Keycloak). An endpoint that does not parse gives no attributes.
 */
export function endpointAttributes(endpoint: string, withPath: boolean): Attributes {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return {};
  }
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return {
    'server.address': url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(port !== undefined && { 'server.port': port }),
    ...(withPath && { 'url.path': url.pathname }),
  };
}

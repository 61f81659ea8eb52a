import type { Dispatcher } from 'undici';

/** The request headers as undici takes them: an object, a flat `[name, value, …]` list, pairs, or none. */
export type DispatchHeaders = Dispatcher.DispatchOptions['headers'];

/** The headers of a dispatch as name/value pairs, whichever of undici's shapes they came in. */
export function headerPairs(headers: DispatchHeaders): [string, string][] {
  if (headers == null) return [];
  const pairs: [string, string][] = [];
  if (Array.isArray(headers) && (headers.length === 0 || typeof headers[0] === 'string')) {
    const flat = headers as readonly string[];
    for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([String(flat[i]), String(flat[i + 1])]);
    return pairs;
  }
  const entries =
    Symbol.iterator in Object(headers)
      ? (headers as Iterable<[string, string | string[] | undefined]>)
      : Object.entries(headers as Record<string, string | string[] | undefined>);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, String(one)]);
  }
  return pairs;
}

/** The headers with `authorization` set to `value` (any other `authorization` dropped), as a flat list. */
export function withAuthorization(headers: DispatchHeaders, value: string): string[] {
  const flat: string[] = [];
  for (const [name, one] of headerPairs(headers))
    if (name.toLowerCase() !== 'authorization') flat.push(name, one);
  flat.push('authorization', value);
  return flat;
}

/** Whether the caller already set an `Authorization` header. */
export function hasAuthorizationHeader(headers: DispatchHeaders): boolean {
  return headerPairs(headers).some(([name]) => name.toLowerCase() === 'authorization');
}

/** A response's headers from undici's handler API as web `Headers`, for core's 401 rule. */
export function responseHeaders(headers: Record<string, string | string[] | undefined>): Headers {
  const web = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) web.append(name, one);
  }
  return web;
}

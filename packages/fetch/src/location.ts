/**
 * What the caller sees of an upstream `Location`:
 * - on the target's origin and under its base path: rewritten to the proxy's own path (`mount` + the rest,
 *   path-absolute, so it works behind any host name);
 * - on the target's origin but outside the base path, or with a scheme other than http(s): removed — the
 *   proxy would not forward it, and following it directly would only reach the API without the token;
 * - on any other origin: passed through as is — the proxy never sends the token there, so the caller
 *   can follow it without the token (a presigned download URL, say).
 * With a `rewrite` function the mapping cannot be inverted, so Locations on the target's origin are removed.
 */
export function proxiedLocation(
  location: string,
  upstream: URL,
  base: URL,
  mount: string,
  invertible: boolean,
): string | undefined {
  let url: URL;
  try {
    url = new URL(location, upstream);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol)) return undefined;
  if (url.origin !== base.origin) return location;
  const basePath = base.pathname.replace(/\/+$/, '');
  if (!invertible || (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)))
    return undefined;
  const rest = url.pathname.slice(basePath.length) || '/';
  return `${mount.replace(/\/+$/, '')}${rest}${url.search}${url.hash}`;
}

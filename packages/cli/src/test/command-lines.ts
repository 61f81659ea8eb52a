/** `grantkit token` against `tokenUrl` for the client `svc` on loopback http, plus `more`. */
export const tokenCommand = (tokenUrl: string, ...more: string[]): string[] => [
  'token',
  '--token-url',
  tokenUrl,
  '--client-id',
  'svc',
  '--allow-insecure-requests',
  ...more,
];

/** `grantkit verint` for the tenant `acme` at `origin` (the fake server) for the client `svc`, plus `more`. */
export const verintCommand = (origin: string, ...more: string[]): string[] => [
  'verint',
  '--domain',
  'acme',
  '--auth-origin',
  origin,
  '--client-id',
  'svc',
  '--allow-insecure-requests',
  ...more,
];

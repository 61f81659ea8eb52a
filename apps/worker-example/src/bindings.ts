import type { TokenStoreNamespace } from '@grantkit/cloudflare';
import type { GrantkitEnv } from '@grantkit/hono';

/**
 * The Worker's bindings: secrets (`wrangler secret put CLIENT_SECRET`) and plain vars (`wrangler.toml`).
 */
export interface Bindings {
  /** The Verint tenant name: the token URL is `https://auth.{domain}/auth/realms/{domain}/...`. */
  readonly VERINT_DOMAIN: string;
  readonly CLIENT_ID: string;
  /** A secret: never in `wrangler.toml`. */
  readonly CLIENT_SECRET: string;
  /** Overrides the token URL built from `VERINT_DOMAIN` (Keycloak 17+ without `/auth`, a local fake). */
  readonly TOKEN_URL?: string;
  /** The protected API, e.g. `https://api.acme.example/coaching`. */
  readonly API_BASE_URL: string;
  /** The Durable Object namespace of `TokenStoreObject`: one token for every isolate (`wrangler.toml`). */
  readonly GRANTKIT_TOKENS: TokenStoreNamespace;
  /** A secret: 32 random bytes, base64 (`openssl rand -base64 32 | wrangler secret put TOKEN_KEY`). */
  readonly TOKEN_KEY: string;
  /** `"true"` permits an `http:` token URL — local development against a fake only, never in production. */
  readonly ALLOW_INSECURE_REQUESTS?: string;
}

/** The Hono environment of the Worker: its bindings, and `c.var.grantkit` from the middleware. */
export type WorkerEnv = { Bindings: Bindings } & GrantkitEnv;

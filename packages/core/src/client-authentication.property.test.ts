import { createAuthServer, createManualClock } from '@grantkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientCredentials } from './index.js';

// Any secret against either Keycloak generation: at most two token requests for the first token (the RFC
// 6749 encoding, then the raw one), and then the encoding that worked is remembered: one request per refresh.

const auth = await createAuthServer({
  realms: { demo: { clients: { svc: { secret: 'initial', lifetimeSeconds: 60 } } } },
});

const secretChar = fc.oneof(
  fc.constantFrom('+', '%', '/', '=', ':', ' ', '&', '~', '*', "'", '(', '!', 'é', '€', '漢'),
  fc.constantFrom(...'abcXYZ019'),
);
const secret = fc.array(secretChar, { minLength: 1, maxLength: 24 }).map((chars) => chars.join(''));

describe('Basic encoding fallback (property)', () => {
  it('any secret on either server generation: ≤ 2 requests for a token, then 1 per refresh', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('rfc6749' as const, 'raw' as const),
        secret,
        fc.integer({ min: 1, max: 4 }),
        async (decoding, clientSecret, refreshes) => {
          auth.reset();
          auth.basicDecoding = decoding;
          auth.setClientSecret('svc', clientSecret);
          const clock = createManualClock(1_700_000_000_000);
          const source = clientCredentials({
            tokenUrl: auth.tokenUrl('http://localhost', 'demo'),
            clientId: 'svc',
            clientSecret,
            fetch: auth.fetch,
            allowInsecureRequests: true,
            clock,
            retry: { attempts: 1 },
          });
          await source.getToken();
          const first = auth.tokenRequests;
          expect(first).toBeLessThanOrEqual(2);
          expect(auth.requestLog.at(-1)?.status).toBe(200);
          for (let refresh = 1; refresh <= refreshes; refresh += 1) {
            clock.advance(60_000);
            await source.getToken();
            expect(auth.tokenRequests).toBe(first + refresh);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Caller } from '../policies/accessContext';
import { isServiceAccount } from '../policies/roles';

/** How many requests one service account may make in a window (SERVICE_ACCOUNT_RATE_LIMIT, …_WINDOW_SECONDS). */
export interface ServiceAccountRateLimit {
  requests: number;
  windowSeconds: number;
}

export const DEFAULT_SERVICE_ACCOUNT_RATE_LIMIT: ServiceAccountRateLimit = {
  requests: 120,
  windowSeconds: 60,
};

export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * Counts each service account's requests in fixed windows, in this gateway's memory
 * (rate-limiter-flexible): with several gateways behind a load balancer each counts its own share,
 * so an account may make up to that many times the limit (README, _For case systems_). People's
 * sessions are not counted. Returns the check to run once the caller is known.
 */
export function serviceAccountRateLimiter(limit: ServiceAccountRateLimit) {
  const limiter = new RateLimiterMemory({
    keyPrefix: 'service-account',
    points: limit.requests,
    duration: limit.windowSeconds,
  });
  return async (caller: Caller): Promise<void> => {
    if (!isServiceAccount(caller.role)) return;
    try {
      await limiter.consume(caller.userId);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new GraphQLError(
        `This service account has made ${limit.requests} requests in ${limit.windowSeconds} s, its limit: retry after ${retryAfter} s.`,
        {
          extensions: {
            code: 'RATE_LIMITED',
            limit: limit.requests,
            retryAfter,
            http: {
              status: 429,
              // Apollo Server reads a Map here; graphql-yoga's typings (a dev dependency, loaded
              // with the benchmark's gateway) declare a plain record for the same extension.
              headers: new HeaderMap([['retry-after', String(retryAfter)]]) as unknown as Record<
                string,
                string
              >,
            },
          },
        },
      );
    }
  };
}

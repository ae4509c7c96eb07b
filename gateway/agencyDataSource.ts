import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ACCESS_CONTEXT_HEADER } from '../schema/forwardedAccess';
import type { GatewayContext } from './requestAccess';
import { UnavailableAgency } from './unavailableAgency';

/**
 * How the gateway calls one subgraph: with a deadline, and, for an agency, turning a failure into
 * UNAVAILABLE agency checks instead of a hole in the picture.
 */
export class AgencyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly timeoutMs: number,
    private readonly unavailable: UnavailableAgency,
  ) {
    super({
      url,
      // Node's own fetch, with a deadline: a hung agency must not hold up the other agencies' results.
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher,
    });
  }

  /** Every fetch carries the access context the gateway decided under, signed by the gateway. */
  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return;
    options.request.http?.headers.set(ACCESS_CONTEXT_HEADER, await options.context.forwardedAccess);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    if (!this.unavailable.hasAgencyChecks) return super.process(options);
    let response: GatewayGraphQLResponse;
    try {
      response = await super.process(options);
    } catch (error) {
      return this.unavailable.answer(options.request, this.describe(error));
    }
    return this.unavailable.repair(options.request, response);
  }

  private describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    if (/abort|timeout/i.test(message)) return `No answer within ${this.timeoutMs} ms.`;
    if (/ECONNREFUSED|fetch failed|ENOTFOUND|ECONNRESET/i.test(message))
      return 'The agency service could not be reached.';
    return `The agency service failed: ${message}`;
  }
}

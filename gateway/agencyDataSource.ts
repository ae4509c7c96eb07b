import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { KeyLike } from 'jose';
import { ACCESS_CONTEXT_HEADER, signForwardedAccess } from '../schema/forwardedAccess';
import type { GatewayContext } from './requestAccess';
import { nodeFetch, SubgraphFetch } from './subgraphFetch';
import { UnavailableAgency } from './unavailableAgency';

/**
 * How the gateway calls one subgraph: with a deadline, and, for an agency, turning a failure into
 * UNAVAILABLE agency checks instead of a hole in the picture.
 */
export class AgencyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    /** The subgraph's name in the supergraph: the audience of the contexts signed for it. */
    private readonly subgraph: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly unavailable: UnavailableAgency,
    private readonly accessSigningKey: KeyLike,
    subgraphFetch: SubgraphFetch = nodeFetch,
  ) {
    super({
      url,
      // Node's own fetch (or one trusting the subgraphs' private CA), with a deadline: a hung
      // agency must not hold up the other agencies' results.
      fetcher: ((input: string, init: RequestInit) =>
        subgraphFetch(input, {
          ...init,
          signal: AbortSignal.timeout(timeoutMs),
        })) as unknown as Fetcher,
    });
  }

  /**
   * Every fetch carries the access context the gateway decided under, signed for this fetch
   * alone: this subgraph, this operation and these variables, once, briefly. A captured context
   * is no key to another agency, another question, or a second answer.
   */
  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return;
    const { request, context } = options;
    const signed = await signForwardedAccess(
      { kind: 'request', access: context.access },
      this.accessSigningKey,
      {
        subgraph: this.subgraph,
        operation: {
          query: request.query!,
          variables: request.variables,
          operationName: request.operationName,
        },
        requestId: context.requestId,
      },
    );
    request.http?.headers.set(ACCESS_CONTEXT_HEADER, signed);
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
    if (/certificate|SSL|TLS|EPROTO/i.test(message))
      return 'The agency service could not be reached securely.';
    if (
      /ECONNREFUSED|fetch failed|ENOTFOUND|ECONNRESET|socket hang up|other side closed/i.test(
        message,
      )
    )
      return 'The agency service could not be reached.';
    return `The agency service failed: ${message}`;
  }
}

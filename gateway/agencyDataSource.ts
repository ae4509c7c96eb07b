import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { context, propagation } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import type { KeyLike } from 'jose';
import { ACCESS_CONTEXT_HEADER, signForwardedAccess } from '../schema/forwardedAccess';
import { serviceLog } from '../service/logger';
import type { SubgraphResilience } from './agencyResilience';
import { CircuitOpen, SubgraphCircuit } from './circuitBreaker';
import { subgraphFetchDuration, subgraphRetries } from './metrics';
import type { GatewayContext } from './requestAccess';
import { SubgraphAnswerCheck } from './subgraphAnswer';
import { defaultSubgraphFetch, SubgraphFetch } from './subgraphFetch';
import { UnavailableAgency } from './unavailableAgency';

/**
 * How the gateway calls one subgraph: each attempt with a deadline, a read tried once more after a
 * failure a retry can mend, through the subgraph's circuit breaker, and its answer checked against
 * the subgraph's schema. For an agency, any failure becomes UNAVAILABLE agency checks with the
 * reason, instead of a hole in the picture or the agency's raw answer.
 */
export class AgencyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly circuit: SubgraphCircuit;
  private readonly answerCheck: SubgraphAnswerCheck;
  private readonly timeoutMs: number;
  private readonly retryReads: boolean;

  constructor(
    /** The subgraph's name in the supergraph: the audience of the contexts signed for it. */
    private readonly subgraph: string,
    url: string,
    settings: SubgraphResilience,
    private readonly unavailable: UnavailableAgency,
    private readonly accessSigningKey: KeyLike,
    subgraphFetch: SubgraphFetch = defaultSubgraphFetch,
  ) {
    super({
      url,
      // The gateway's subgraph fetch (gateway/subgraphFetch.ts), with a deadline: a hung
      // agency must not hold up the other agencies' results.
      fetcher: ((input: string, init: RequestInit) =>
        subgraphFetch(input, {
          ...init,
          signal: AbortSignal.timeout(settings.timeoutMs),
        })) as unknown as Fetcher,
    });
    this.timeoutMs = settings.timeoutMs;
    this.retryReads = settings.retryReads;
    this.circuit = new SubgraphCircuit(subgraph, settings.circuit, (error) =>
      error instanceof SubgraphFailure ? error.countsAgainstAgency : true,
    );
    this.answerCheck = new SubgraphAnswerCheck(unavailable.sdl);
  }

  /**
   * Every fetch carries the access context the gateway decided under, signed for this fetch
   * alone: this subgraph, this operation and these variables, once, briefly. A captured context
   * is no key to another agency, another question, or a second answer. A retry comes through here
   * again, so it carries a context of its own. The trace context goes along (W3C traceparent).
   */
  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return;
    const { request, context: gatewayContext } = options;
    const signed = await signForwardedAccess(
      { kind: 'request', access: gatewayContext.access },
      this.accessSigningKey,
      {
        subgraph: this.subgraph,
        operation: {
          query: request.query!,
          variables: request.variables,
          operationName: request.operationName,
        },
        requestId: gatewayContext.requestId,
      },
    );
    request.http?.headers.set(ACCESS_CONTEXT_HEADER, signed);
    if (request.http) {
      const headers = request.http.headers;
      propagation.inject(context.active(), headers, {
        set: (carrier, key, value) => carrier.set(key, value),
      });
    }
  }

  /**
   * A non-2xx answer is a failure by its status alone: its body (an error page, a proxy's HTML,
   * whatever the agency's server says) is not read, so none of it can reach a client or a log.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    return new GraphQLError(`HTTP ${response.status}`, {
      extensions: { response: { status: response.status } },
    });
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const endTimer = subgraphFetchDuration.startTimer({ subgraph: this.subgraph });
    let response: GatewayGraphQLResponse;
    try {
      response = await this.circuit.run(() => this.fetchOnceOrTwice(options));
    } catch (error) {
      const failure = SubgraphFailure.of(error, this.timeoutMs);
      endTimer({ result: failure.kind });
      serviceLog('gateway').warn(
        {
          requestId: requestIdOf(options),
          subgraph: this.subgraph,
          failure: failure.kind,
          reason: failure.message,
          ...(failure.detail ? { detail: failure.detail } : {}),
        },
        `subgraph ${this.subgraph} unavailable`,
      );
      if (!this.unavailable.hasAgencyChecks)
        throw new Error(`${this.subgraph}: ${failure.message}`, { cause: error });
      return this.unavailable.answer(options.request, failure.message);
    }
    endTimer({ result: 'ok' });
    if (!this.unavailable.hasAgencyChecks) return response;
    return this.unavailable.repair(options.request, response);
  }

  /** One attempt; a read that failed in a way a retry can mend is sent once more. */
  private async fetchOnceOrTwice(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await this.attempt(options);
    } catch (error) {
      const failure = SubgraphFailure.of(error, this.timeoutMs);
      if (!this.retryReads || !failure.retriable || !isRead(options.request.query)) throw failure;
      subgraphRetries.inc({ subgraph: this.subgraph });
      return this.attempt(options).catch((second: unknown) => {
        throw SubgraphFailure.of(second, this.timeoutMs);
      });
    }
  }

  private async attempt(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const response = await super.process(options);
    const problem = this.answerCheck.problem(options.request, response);
    if (problem) throw SubgraphFailure.malformed(problem);
    return response;
  }
}

type FailureKind =
  'timeout' | 'unreachable' | 'insecure' | 'http' | 'malformed' | 'open' | 'failed';

/**
 * Why a fetch failed, in words a client may read: never the agency's raw answer, its address or
 * an error's own message (which can quote the answer). `detail` (field paths, no values) is for
 * the log.
 */
export class SubgraphFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Sending the read again could mend it (a dropped connection, a 5xx). */
    readonly retriable: boolean,
    /** Says something about the agency's health (so it counts toward opening its circuit). */
    readonly countsAgainstAgency = true,
    readonly detail: string | null = null,
  ) {
    super(message);
    this.name = 'SubgraphFailure';
  }

  static malformed(problem: string): SubgraphFailure {
    return new SubgraphFailure(
      'malformed',
      'The agency answered with data that does not fit its schema, so none of it was used.',
      false,
      true,
      problem,
    );
  }

  static of(error: unknown, timeoutMs: number): SubgraphFailure {
    if (error instanceof SubgraphFailure) return error;
    if (error instanceof CircuitOpen) return new SubgraphFailure('open', error.message, false);
    const { name, message, code, cause, extensions } = error as {
      name?: string;
      message?: string;
      code?: string;
      cause?: { code?: string; message?: string };
      extensions?: { response?: { status?: number } };
    };
    const status = extensions?.response?.status;
    if (typeof status === 'number') {
      return new SubgraphFailure(
        'http',
        `The agency service answered HTTP ${status}.`,
        status >= 500,
        status >= 500 || status === 429,
      );
    }
    const text = `${name ?? ''} ${code ?? ''} ${message ?? ''} ${cause?.code ?? ''} ${cause?.message ?? ''}`;
    if (/TimeoutError|AbortError|abort|timeout/i.test(text))
      return new SubgraphFailure('timeout', `Timed out after ${timeoutMs} ms: no answer.`, false);
    if (/certificate|SSL|TLS|EPROTO/i.test(text))
      return new SubgraphFailure(
        'insecure',
        'The agency service could not be reached securely.',
        false,
      );
    if (
      /ECONNREFUSED|fetch failed|ENOTFOUND|ECONNRESET|EPIPE|socket hang up|other side closed/i.test(
        text,
      )
    )
      return new SubgraphFailure('unreachable', 'The agency service could not be reached.', true);
    // Apollo's own words for an answer that is not a JSON object, and JSON.parse's: both quote it.
    if (name === 'SyntaxError' || /Expected JSON response body/.test(message ?? ''))
      return new SubgraphFailure(
        'malformed',
        'The agency answered with something that is not a GraphQL response, so none of it was used.',
        false,
        true,
        'not JSON',
      );
    return new SubgraphFailure('failed', 'The agency service failed.', false, true, name ?? null);
  }
}

/** A query (never a mutation): safe to send twice. */
function isRead(query: string | undefined): boolean {
  return /^\s*(query\b|\{)/.test(query ?? '');
}

function requestIdOf(options: GraphQLDataSourceProcessOptions<GatewayContext>): string | null {
  return options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION
    ? options.context.requestId
    : null;
}

import type { ApolloServerPlugin } from '@apollo/server';
import { ASTNode, DocumentNode, GraphQLError, GraphQLFormattedError, visit } from 'graphql';
import { tokenLimitCode } from './queryLimits';

/** The response header that carries the request's id (as does every error's `extensions.requestId`). */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Every error the gateway sends, made safe to send: no internal address, port, URL, SQL, stack or
 * raw subgraph answer; a client's mistake that only a subgraph noticed comes back as
 * BAD_USER_INPUT with the subgraph's own words; Apollo Server's CSRF refusal in plain words. Used
 * as Apollo Server's `formatError`, so it sees every error before it leaves.
 */
export function clientSafeError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = { ...formatted.extensions };
  let code = String(extensions.code ?? 'INTERNAL_SERVER_ERROR');
  let message = formatted.message;
  if (code === 'BAD_REQUEST' && /Cross-Site Request Forgery/i.test(message)) {
    message = SEND_AS_JSON_POST;
  }
  const tokens = code === 'GRAPHQL_PARSE_FAILED' ? tokenLimitCode(message) : null;
  if (tokens) {
    code = tokens.code;
    extensions.limit = tokens.limit;
    message = `The document has more than ${tokens.limit} tokens (names, punctuation, values); the limit is ${tokens.limit}.`;
  }
  // A value graphql-js's validation refused for an argument: the client's input, named.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && typeof extensions.argument === 'string')
    code = 'BAD_USER_INPUT';

  // A subgraph that refused the operation's input (its HTTP 400 and its own errors in the body).
  const response = extensions.response as { status?: number; body?: unknown } | undefined;
  const refusedInput = response?.status === 400 ? firstClientError(response.body) : null;
  if (refusedInput) {
    code = 'BAD_USER_INPUT';
    message = refusedInput.message;
  } else if (response) {
    message = 'An agency service failed to answer this part of the request.';
  }
  const fromSubgraph = typeof extensions.serviceName === 'string';
  if (fromSubgraph && code === 'GRAPHQL_VALIDATION_FAILED') code = 'BAD_USER_INPUT';
  const safe: Record<string, unknown> = {};
  for (const key of SENDABLE_EXTENSIONS) {
    if (extensions[key] !== undefined) safe[key] = sanitised(extensions[key], 0);
  }
  // A subgraph's policy answer names its rule; its custodian is the subgraph that gave it.
  if (extensions.rule && safe.custodian === undefined && fromSubgraph)
    safe.custodian = extensions.serviceName;
  if (refusedInput?.argument) safe.argument ??= refusedInput.argument;
  return {
    message: safeMessage(message, code),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { ...safe, code },
  };
}

/** What to send instead of Apollo Server's CSRF-prevention message. */
export const SEND_AS_JSON_POST =
  'Send the query as a POST with content-type: application/json (a GET, a form or a request without a content-type is refused, so that a web page cannot make your browser send it).';

// What an error may carry to a client; anything else (response, serviceName, exception, stack…) is
// internal.
const SENDABLE_EXTENSIONS = [
  'code',
  'rule',
  'custodian',
  'release',
  'argument',
  'problems',
  'agency',
  'limit',
  'count',
  'retryAfter',
  'requestId',
] as const;

const INTERNAL_ADDRESS =
  /\b(?:https?|postgres(?:ql)?):\/\/\S+|\b(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|::1)(?::\d+)?\b|\b\d{1,3}(?:\.\d{1,3}){3}:\d+\b/gi;
const SQL =
  /\b(?:SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\b[\s\S]*\bSET|DELETE\s+FROM|QueryFailedError|relation\s+"|syntax error at or near|violates\s+\w+\s+constraint)\b/i;
const STACK_LINE = /^\s*at\s.+$/gm;

/** A message with no internal detail: generic when it would need more than removing an address. */
function safeMessage(message: string, code: string): string {
  if (SQL.test(message) || /\bECONN\w+|\bENOTFOUND\b|\bETIMEDOUT\b/.test(message))
    return code === 'BAD_USER_INPUT'
      ? 'The request could not be read.'
      : 'The gateway or an agency service failed to answer this part of the request.';
  return message.replace(STACK_LINE, '').replace(INTERNAL_ADDRESS, 'an internal service').trim();
}

function sanitised(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return safeMessage(value, '');
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => sanitised(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, sanitised(v, depth + 1)] as const),
  );
}

/** The first error in a subgraph's refusal that is the client's input, with the argument it names. */
function firstClientError(body: unknown): { message: string; argument?: string } | null {
  const errors = (body as { errors?: GraphQLFormattedError[] } | null)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!first || typeof first.message !== 'string') return null;
  const code = first.extensions?.code;
  if (code !== 'BAD_USER_INPUT' && code !== 'GRAPHQL_VALIDATION_FAILED') return null;
  const named = /(?:Variable "\$|Argument ")(\w+)"/.exec(first.message);
  return { message: first.message, ...(named ? { argument: named[1] } : {}) };
}

/** The error with the request's id, which the response header, the audit record and the log carry. */
export function withRequestId<E extends GraphQLFormattedError>(
  error: E,
  requestId: string | undefined,
): E {
  if (!requestId) return error;
  return { ...error, extensions: { ...error.extensions, requestId } };
}

/**
 * Every error of the response with the request's id, and the id in a response header: runs last,
 * after the policy step has put back its withheld-field errors (made after formatError ran).
 */
export function requestIdPlugin(): ApolloServerPlugin<{ requestId: string }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors)
            result.errors = result.errors.map((e) => withRequestId(e, contextValue.requestId));
        },
      };
    },
  };
}

/**
 * graphql-js's validation names a wrong value (`String cannot represent a non string value: 12`,
 * `Value "X" does not exist in "E" enum.`) but not the argument it was given for: this names it in
 * `extensions.argument`, so the client's mistake comes back as BAD_USER_INPUT naming the argument.
 */
export function argumentNamingPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async validationDidStart({ document }) {
          return async (errors?: readonly Error[]) => {
            if (!errors?.length) return;
            const argumentOf = argumentsByNode(document);
            for (const error of errors) {
              if (!(error instanceof GraphQLError)) continue;
              const named =
                error.nodes?.map((n) => argumentOf.get(n)).find(Boolean) ??
                /\b[Aa]rgument "(\w+)"/.exec(error.message)?.[1];
              if (named) (error.extensions as Record<string, unknown>).argument = named;
            }
          };
        },
      };
    },
  };
}

/** Every node inside an argument's value (and the argument itself), mapped to the argument's name. */
function argumentsByNode(document: DocumentNode): Map<ASTNode, string> {
  const owner = new Map<ASTNode, string>();
  let current: string | null = null;
  visit(document, {
    Argument: {
      enter(node) {
        current = node.name.value;
        owner.set(node, current);
      },
      leave() {
        current = null;
      },
    },
    enter(node) {
      if (current) owner.set(node, current);
    },
  });
  return owner;
}

/** The first argument that takes the variable `$name` (fragments included), where a bad value went. */
export function argumentTakingVariable(document: DocumentNode, name: string): string | undefined {
  let found: string | undefined;
  visit(document, {
    Argument(node) {
      if (found) return;
      visit(node.value, {
        Variable(variable) {
          if (variable.name.value === name) found = node.name.value;
        },
      });
    },
  });
  return found;
}

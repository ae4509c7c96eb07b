import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { NextFunction, Request, Response } from 'express';
import {
  DocumentNode,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLSchema,
  isCompositeType,
  isListType,
  SelectionSetNode,
  validate,
  ValidationRule,
} from 'graphql';
import {
  collectFields,
  fragmentsOf,
  OperationFields,
  operationFields,
  selectionDepth,
  selectionsOf,
} from './operationFields';

/**
 * What one request may ask of the gateway, checked before anything is planned or fetched, each
 * refused with its own code and a 4xx: a bound on every way a client can make the gateway (or an
 * agency) do more work than the answer is worth. The largest operations the README, GraphiQL's
 * tabs, the benchmark and the differential leak test send measure 514 tokens, 9 levels, 152
 * aliases (every field of a case aliased), 9 directives and a cost of 5,060: the defaults leave
 * room for the schema to grow (aliases twice, the rest five to ten times).
 */
export interface QueryLimits {
  /** Request body, in bytes (before JSON parsing; a gzip body counts as inflated). */
  bodyBytes: number;
  /** Lexical tokens in the document: bounds how deep the recursive parser can be made to go. */
  tokens: number;
  /** Selection nesting: every field, inline fragment and fragment spread is a level. */
  depth: number;
  /** Aliases in the operation, fragments expanded. */
  aliases: number;
  /** Directives in the operation, fragments expanded. */
  directives: number;
  /** Cost: 1 per field as execution merges them, times LIST_WEIGHT for each list above it. */
  cost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  bodyBytes: 1024 * 1024,
  tokens: 5000,
  depth: 40,
  aliases: 300,
  directives: 50,
  cost: 50_000,
};

/**
 * The range each limit may be configured in. Upper bounds keep the protections meaningful: the
 * parser and the policy step recurse over the document, so tokens and depth stay far below what
 * overflows the stack.
 */
export const QUERY_LIMIT_RANGES: Record<keyof QueryLimits, { min: number; max: number }> = {
  bodyBytes: { min: 1024, max: 16 * 1024 * 1024 },
  tokens: { min: 100, max: 20_000 },
  depth: { min: 5, max: 100 },
  aliases: { min: 0, max: 10_000 },
  directives: { min: 0, max: 10_000 },
  cost: { min: 100, max: 10_000_000 },
};

/** The environment variable that sets each limit. */
export const QUERY_LIMIT_VARIABLES: Record<keyof QueryLimits, string> = {
  bodyBytes: 'MAX_REQUEST_BYTES',
  tokens: 'MAX_QUERY_TOKENS',
  depth: 'MAX_QUERY_DEPTH',
  aliases: 'MAX_QUERY_ALIASES',
  directives: 'MAX_QUERY_DIRECTIVES',
  cost: 'MAX_QUERY_COST',
};

/** A list field's selections count this many times: a list answers many items. */
export const LIST_WEIGHT = 10;

/** The code each refusal carries, so a client (and the audit) can tell them apart. */
export const LIMIT_CODES = {
  bodyBytes: 'REQUEST_TOO_LARGE',
  batch: 'BATCHING_DISABLED',
  tokens: 'QUERY_TOO_MANY_TOKENS',
  depth: 'QUERY_TOO_DEEP',
  aliases: 'QUERY_TOO_MANY_ALIASES',
  directives: 'QUERY_TOO_MANY_DIRECTIVES',
  cost: 'QUERY_TOO_COSTLY',
} as const;

function limitError(code: string, message: string, limit: number, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, http: { status } } });
}

/**
 * Depth, aliases, directives and cost, after validation (so fragments are known and acyclic and
 * the token limit has bounded the document) and before the policies or the planner read the
 * operation: a request over any limit is refused whole, and audited as REFUSED.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          checkQueryLimits(schema, document, limits, request.operationName, request.variables);
        },
      };
    },
  };
}

/** Throws the first limit the operation exceeds; cheap checks first, cost (which expands fragments) last. */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits: QueryLimits,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): void {
  const operation = getOperationAST(document, operationName);
  for (const definition of document.definitions) {
    if (definition.kind !== 'OperationDefinition') continue;
    const depth = selectionDepth(definition, fragmentsOf(document), limits.depth);
    if (depth > limits.depth)
      throw limitError(
        LIMIT_CODES.depth,
        `The operation nests its selections more than ${limits.depth} levels deep (each field, inline fragment and fragment spread is a level); the limit is ${limits.depth}.`,
        limits.depth,
      );
  }
  const counted = validate(schema, document, [
    armorRule(maxAliasesRule, limits.aliases, LIMIT_CODES.aliases, 'aliases'),
    armorRule(maxDirectivesRule, limits.directives, LIMIT_CODES.directives, 'directives'),
  ]);
  if (counted.length) throw counted[0];
  if (!operation) return;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  // A variable that does not coerce: the policy step, next, refuses it naming the argument.
  if (coerced.errors) return;
  const cost = operationCost(
    operationFields(schema, document, operation, coerced.coerced),
    limits.cost,
  );
  if (cost > limits.cost)
    throw limitError(
      LIMIT_CODES.cost,
      `The operation would cost more than ${limits.cost} (1 per field; below a list, ${LIST_WEIGHT} per field for each list above it); the limit is ${limits.cost}. Ask for fewer fields, or split the operation.`,
      limits.cost,
    );
}

/**
 * The operation's cost, counted over its fields as execution merges them (`operationFields.ts`):
 * a fragment spread twice, or a field asked twice, is one field, as execution runs it once; every
 * field costs 1 times LIST_WEIGHT for each list above it. Stops as soon as it passes `limit`.
 */
function operationCost(fields: OperationFields, limit: number): number {
  let total = 0;
  const walk = (
    type: GraphQLCompositeType,
    selections: readonly SelectionSetNode[],
    weight: number,
  ): void => {
    for (const group of collectFields(fields, type, selections).values()) {
      total += weight;
      if (total > limit) return;
      const definition = 'getFields' in type ? type.getFields()[group[0].name.value] : undefined;
      const named = definition && getNamedType(definition.type);
      if (!named || !isCompositeType(named)) continue;
      const list = isListType(getNullableType(definition.type));
      walk(named, selectionsOf(group), list ? weight * LIST_WEIGHT : weight);
      if (total > limit) return;
    }
  };
  const root = fields.schema.getRootType(fields.operation.operation);
  try {
    if (root) walk(root, [fields.operation.selectionSet], 1);
  } catch {
    // An @skip/@include condition that does not coerce: the policy step, next, refuses it.
    return 0;
  }
  return total;
}

type ArmorRule = (options: {
  n: number;
  exposeLimits: boolean;
  propagateOnRejection: boolean;
  onReject: ((context: unknown, error: GraphQLError) => void)[];
}) => ValidationRule;

/** graphql-armor's counter as a validation rule that reports our code and the limit. */
function armorRule(rule: ArmorRule, n: number, code: string, what: string): ValidationRule {
  return rule({
    n,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const found = /found (\d+)/.exec(error.message)?.[1];
        (context as { reportError(error: GraphQLError): void }).reportError(
          limitError(
            code,
            `The operation uses ${found ?? 'too many'} ${what}; the limit is ${n}.`,
            n,
          ),
        );
      },
    ],
  });
}

/**
 * graphql-js's own parser stops at the token limit (`parseOptions.maxTokens`) with a syntax
 * error; this names it with its code and the limit. Null for any other error.
 */
export function tokenLimitCode(message: string): { code: string; limit: number } | null {
  const match = /Document contains more tha[nt] (\d+) tokens/.exec(message);
  return match ? { code: LIMIT_CODES.tokens, limit: Number(match[1]) } : null;
}

/** A refusal made before Apollo Server reads the request (express middleware). */
export interface EarlyRefusal {
  status: number;
  message: string;
  extensions: { code: string; limit?: number };
}

/**
 * Refuses a body over the limit without holding it: at once when its Content-Length says so, and
 * as soon as the bytes received pass the limit when it comes chunked (express's own parser reads a
 * refused body to its end before answering). What the client goes on sending is discarded, never
 * kept, for a moment (so it can read the refusal rather than a reset connection); then the
 * connection is closed. Within the limit, the body goes on to the JSON parser untouched.
 */
export function requestBodyLimit(
  limit: number,
  refuse: (req: Request, res: Response, refusal: EarlyRefusal) => void,
) {
  const refusal = (): EarlyRefusal => ({
    status: 413,
    message: `The request body is too large: the limit is ${limit} bytes.`,
    extensions: { code: LIMIT_CODES.bodyBytes, limit },
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length']);
    const closeAfter = () =>
      res.once('finish', () => {
        req.resume();
        const close = setTimeout(() => req.socket.destroy(), DISCARD_FOR_MS);
        close.unref();
        req.once('end', () => clearTimeout(close));
      });
    if (Number.isFinite(declared) && declared > limit) {
      closeAfter();
      refuse(req, res, refusal());
      return;
    }
    let received = 0;
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit || res.headersSent) return;
      req.off('data', count);
      closeAfter();
      refuse(req, res, refusal());
    };
    req.on('data', count);
    req.once('end', () => req.off('data', count));
    next();
  };
}

/** How long a refused body's remaining bytes are read and dropped before the connection closes. */
const DISCARD_FOR_MS = 1000;

/** A JSON array body is a batch of operations: refused (one operation, one audit record per request). */
export function refuseBatches(
  refuse: (req: Request, res: Response, refusal: EarlyRefusal) => void,
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!Array.isArray(req.body)) return next();
    refuse(req, res, {
      status: 400,
      message:
        'Batched operations (a JSON array) are not accepted: send one operation per request.',
      extensions: { code: LIMIT_CODES.batch },
    });
  };
}

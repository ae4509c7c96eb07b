import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AccessContext, basisOf, Caller } from '../policies/accessContext';
import { appendAuditRecord, AuditEvent } from '../subgraphs/audit/data';
import type { DeniedField } from '../subgraphs/audit/entities';
import { serviceLog } from '../service/logger';
import { auditAppendDuration, requests, timed } from './metrics';
import { enforcementOf } from './policyEnforcement';
import { LIMIT_CODES } from './queryLimits';
import { OPERATION_NOT_REGISTERED } from './registeredOperations';
import { RATE_LIMITED } from './serviceAccountRateLimit';
import type { GatewayContext } from './requestAccess';

/**
 * No access without an audit record: every request's record (who, when, case, subjects, purpose,
 * basis and its reason, what was granted and withheld and why, the request's id) is committed to
 * the hash-chained trail before its response leaves. If the trail cannot be written, the request
 * is refused and no data is sent. Parse, validation and depth refusals come through here too.
 */
export function auditPlugin(auditStore: DataSource): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const started = Date.now();
      return {
        async willSendResponse(requestContext) {
          const { body, http } = requestContext.response;
          if (body.kind !== 'single') return;
          const result = body.singleResult;
          // What the policy step found (subjects reached, withheld fields): nothing if it never ran.
          const { subjectIds, denied, custodians } = enforcementOf(requestContext.contextValue) ?? {
            subjectIds: [],
            denied: [],
            custodians: [],
          };
          const granted = requestContext.contextValue.granted ?? [];
          try {
            await timed(auditAppendDuration, () =>
              appendAuditRecord(auditStore, {
                ...describeAccess(requestContext.contextValue.access),
                requestId: requestContext.contextValue.requestId,
                client: request.http?.headers.get('user-agent') ?? null,
                operationName: requestContext.operationName ?? null,
                custodians: [
                  ...new Set([
                    ...granted.map((g) => g.split(':')[0]),
                    ...denied.map((d) => d.custodian ?? 'shared'),
                    ...custodians,
                  ]),
                ].filter((c) => c !== 'shared'),
                subjectIds,
                granted,
                denied,
                outcome: outcomeOf(
                  result.errors,
                  denied.filter((d) => !d.internal),
                  granted,
                ),
                latencyMs: Date.now() - started,
              }),
            );
          } catch (error) {
            // The message only: the error object of a failed insert carries the record's values.
            serviceLog('gateway').error(
              {
                requestId: requestContext.contextValue.requestId,
                reason: error instanceof Error ? error.message : String(error),
              },
              'audit trail not written: request refused',
            );
            body.singleResult = { errors: [auditUnavailable()] };
            http.status = 503;
          }
        },
      };
    },
  };
}

/**
 * A request refused before any policy ran — no or bad token, bad purpose, a CSRF refusal, a body
 * that is not JSON or is too large, a request Apollo Server could not read — audited all the same:
 * one small record, nothing of the request's body in it, so a refusal costs one row whatever was
 * sent. `caller` is who the token names when it was valid.
 */
export async function auditRefusal(
  auditStore: DataSource,
  error: { message: string; extensions?: Record<string, unknown> },
  client: string | null,
  refused: { requestId?: string; caller?: Caller | null; rule?: string } = {},
): Promise<void> {
  const access: AccessContext | null = refused.caller
    ? { caller: refused.caller, purpose: null, declaredCase: null, case: null }
    : null;
  const requestId = refused.requestId ?? randomUUID();
  const code = String(error.extensions?.code ?? 'REFUSED');
  // Counted and logged before the record is written: a refusal stands even when its record cannot.
  requests.inc({ outcome: 'REFUSED' });
  serviceLog('gateway').info(
    {
      requestId,
      userId: refused.caller?.userId ?? null,
      role: refused.caller?.role ?? null,
      agency: refused.caller?.agency ?? null,
      outcome: 'REFUSED',
      errorCodes: [code],
      rule: refused.rule ?? 'authentication',
    },
    'request refused',
  );
  await timed(auditAppendDuration, () =>
    appendAuditRecord(auditStore, {
      ...describeAccess(access),
      requestId,
      client,
      operationName: null,
      custodians: [],
      subjectIds: [],
      granted: [],
      denied: [
        {
          path: '',
          code,
          rule: refused.rule ?? 'authentication',
          custodian: null,
          count: 1,
        },
      ],
      outcome: 'REFUSED',
      latencyMs: 0,
    }),
  );
}

export function auditUnavailable(): GraphQLFormattedError {
  return {
    message:
      'The audit trail cannot be written just now, so the request is refused and no data is sent.',
    extensions: { code: 'AUDIT_UNAVAILABLE' },
  };
}

type AccessPart = Pick<
  AuditEvent,
  | 'recorded'
  | 'agentUserId'
  | 'agentRole'
  | 'agentAgency'
  | 'purposeOfUse'
  | 'caseReference'
  | 'basis'
  | 'groundAuthorisedBy'
  | 'groundReason'
>;

function describeAccess(access: AccessContext | null): AccessPart {
  const basis = access ? basisOf(access) : 'NONE';
  const ground = access?.case?.grounds.find((g) => g.ground === basis);
  return {
    recorded: new Date(),
    agentUserId: access?.caller?.userId ?? null,
    agentRole: access?.caller?.role ?? null,
    agentAgency: access?.caller?.agency ?? null,
    purposeOfUse: access?.purpose ?? null,
    caseReference: access?.case?.reference ?? access?.declaredCase ?? null,
    basis,
    groundAuthorisedBy: ground?.authorisedBy ?? null,
    groundReason: ground?.reason ?? null,
  };
}

// A client's own mistake or a refusal of the request itself, as opposed to a failure of the system.
const CLIENT_ERRORS = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  OPERATION_NOT_REGISTERED,
  RATE_LIMITED,
  ...Object.values(LIMIT_CODES),
]);

/**
 * ERROR when the system failed to answer; REFUSED when the request itself was refused (bad input,
 * a refused mutation); otherwise SUCCESS when nothing the client asked for was withheld, DENIED
 * when nothing was shared, PARTIAL in between. A field withheld only from an agency's matching
 * (internal) is not something the client asked for, so it does not make an answer PARTIAL.
 */
export function outcomeOf(
  errors: readonly GraphQLFormattedError[] | undefined,
  denied: DeniedField[],
  granted: string[],
): string {
  const failures = (errors ?? []).filter(
    (e) => !e.extensions?.rule && e.extensions?.code !== 'TOO_MANY_DENIALS',
  );
  if (failures.some((e) => !CLIENT_ERRORS.has(String(e.extensions?.code)))) return 'ERROR';
  if (failures.length > 0) return 'REFUSED';
  if (denied.length === 0) return 'SUCCESS';
  return granted.length === 0 ? 'DENIED' : 'PARTIAL';
}

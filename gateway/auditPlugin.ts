import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  FieldNode,
  GraphQLFormattedError,
  GraphQLSchema,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { DataSource } from 'typeorm';
import { AccessContext, basisOf } from '../policies/accessContext';
import { appendAuditRecord, AuditEvent } from '../subgraphs/audit/data';
import type { DeniedField } from '../subgraphs/audit/entities';
import { replaceOperation } from './replaceOperation';
import type { GatewayContext } from './requestAccess';

/**
 * No access without an audit record: every request's record (who, when, case, subjects, purpose,
 * basis, what was granted and withheld and why) is committed to the hash-chained trail before its
 * response leaves. If the trail cannot be written, the request is refused and no data is sent.
 */
export function auditPlugin(auditStore: DataSource): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const started = Date.now();
      return {
        // Runs after the policies pruned the operation: the subjects actually reached are recorded
        // even when the client did not ask for their ids.
        async didResolveOperation(requestContext) {
          const withIds = withSubjectIds(requestContext.schema, requestContext.document);
          if (withIds === requestContext.document) return;
          replaceOperation(
            requestContext as { document: DocumentNode; queryHash: string },
            withIds,
          );
        },
        async willSendResponse(requestContext) {
          const { body, http } = requestContext.response;
          if (body.kind !== 'single') return;
          const result = body.singleResult;
          const reached = takeSubjectIds(result.data);
          const denied = deniedFields(result.errors);
          const granted = requestContext.contextValue.granted ?? [];
          try {
            await appendAuditRecord(auditStore, {
              ...describeAccess(requestContext.contextValue.access),
              client: request.http?.headers.get('user-agent') ?? null,
              operationName: requestContext.operationName ?? null,
              custodians: [
                ...new Set([
                  ...granted.map((g) => g.split(':')[0]),
                  ...denied.map((d) => d.custodian ?? 'shared'),
                ]),
              ].filter((c) => c !== 'shared'),
              subjectIds: reached,
              granted,
              denied,
              outcome: outcomeOf(result.data, result.errors, denied, granted),
              latencyMs: Date.now() - started,
            });
          } catch (error) {
            console.error(
              `[gateway] audit trail not written: ${error instanceof Error ? error.message : error}`,
            );
            body.singleResult = { errors: [auditUnavailable()] };
            http.status = 503;
          }
        },
      };
    },
  };
}

/** A request refused before any policy ran (no or bad token, bad purpose): audited all the same. */
export async function auditRefusal(
  auditStore: DataSource,
  error: { message: string; extensions?: Record<string, unknown> },
  client: string | null,
): Promise<void> {
  await appendAuditRecord(auditStore, {
    ...describeAccess(null),
    client,
    operationName: null,
    custodians: [],
    subjectIds: [],
    granted: [],
    denied: [
      {
        path: '',
        code: String(error.extensions?.code ?? 'REFUSED'),
        rule: 'authentication',
        custodian: null,
      },
    ],
    outcome: 'REFUSED',
    latencyMs: 0,
  });
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
  };
}

/** Every error that is a policy's answer (it names its rule): a decision not to share. */
function deniedFields(errors: readonly GraphQLFormattedError[] | undefined): DeniedField[] {
  return (errors ?? [])
    .filter((e) => e.extensions?.rule)
    .map((e) => ({
      path: (e.path ?? []).join('.'),
      code: String(e.extensions!.code),
      rule: String(e.extensions!.rule),
      custodian: (e.extensions!.custodian ?? e.extensions!.serviceName ?? null) as string | null,
    }));
}

// The alias under which the audit asks for every Subject's id; removed before the answer leaves.
const SUBJECT_ID = '_auditSubjectId';

/** The operation with `_auditSubjectId: id` in every selection of a Subject. */
function withSubjectIds(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const idField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: SUBJECT_ID },
    name: { kind: Kind.NAME, value: 'id' },
  };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node) {
          if (typeInfo.getParentType()?.name !== 'Subject') return undefined;
          return { ...node, selections: [...node.selections, idField] };
        },
      },
    }),
  );
}

/** Collects and removes the audit's subject ids from the answer. */
function takeSubjectIds(data: unknown): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (typeof object[SUBJECT_ID] === 'string') ids.add(object[SUBJECT_ID] as string);
      delete object[SUBJECT_ID];
      Object.values(object).forEach(walk);
    }
  };
  walk(data);
  return [...ids];
}

function outcomeOf(
  data: unknown,
  errors: readonly GraphQLFormattedError[] | undefined,
  denied: DeniedField[],
  granted: string[],
): string {
  const failures = (errors ?? []).filter((e) => !e.extensions?.rule);
  if (!data && failures.length > 0) return 'ERROR';
  if (denied.length === 0) return 'SUCCESS';
  return granted.length === 0 ? 'DENIED' : 'PARTIAL';
}

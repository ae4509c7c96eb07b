import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { Role } from '../../policies/roles';
import { decodeCursor, encodeCursor } from '../../schema/cursor';
import { callerOf, ForwardedAccess } from '../../schema/forwardedAccess';
import { verifyAuditChain } from './data';
import { toFhirBundle, toJsonLine } from './auditExport';
import {
  AuditEntry,
  AuditEntryPage,
  AuditExportFormat,
  AuditExportPage,
  AuditRecord,
  AuditSummary,
  ChainVerification,
} from './entities';

export interface AuditContext {
  dataSource: DataSource;
  forwarded: ForwardedAccess;
}

export function createAuditContext(
  dataSource: DataSource,
  forwarded: ForwardedAccess,
): AuditContext {
  return { dataSource, forwarded };
}

const MAX_PAGE = 500;

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryPage, {
    nullable: true,
    description:
      'The audit trail, for information governance: every request, oldest first, filtered.',
  })
  async auditTrail(
    @Ctx() ctx: AuditContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Arg('subjectId', () => ID, { nullable: true }) subjectId: string | undefined,
    @Arg('userId', () => String, { nullable: true }) userId: string | undefined,
    @Arg('caseReference', () => String, { nullable: true }) caseReference: string | undefined,
    @Arg('agency', () => String, {
      nullable: true,
      description: 'Requests that reached this custodian.',
    })
    agency: string | undefined,
    @Arg('from', () => Date, { nullable: true }) from: Date | undefined,
    @Arg('to', () => Date, { nullable: true }) to: Date | undefined,
    @Arg('deniedOnly', { defaultValue: false }) deniedOnly: boolean,
    @Arg('withoutConsent', {
      defaultValue: false,
      description: 'Only requests shared under a recorded ground.',
    })
    withoutConsent: boolean,
  ): Promise<AuditEntryPage> {
    requireRole(ctx, Role.IG_OFFICER);
    const query = page(ctx, first, after);
    if (subjectId) query.andWhere(':subjectId = ANY(r.subjectIds)', { subjectId });
    if (userId) query.andWhere('r.agentUserId = :userId', { userId });
    if (caseReference) query.andWhere('r.caseReference = :caseReference', { caseReference });
    if (agency) query.andWhere(':agency = ANY(r.custodians)', { agency });
    if (from) query.andWhere('r.recorded >= :from', { from });
    if (to) query.andWhere('r.recorded < :to', { to });
    if (deniedOnly) query.andWhere("r.outcome IN ('PARTIAL', 'DENIED', 'REFUSED')");
    if (withoutConsent) query.andWhere("r.basis NOT IN ('CONSENT', 'NONE')");
    return pageOf(await query.getMany(), first, (r) => r);
  }

  @Query(() => AuditExportPage, {
    nullable: true,
    description:
      'The audit trail for IG tools, oldest first: FHIR R4 AuditEvents in a Bundle, or JSON lines for a SIEM, each record with its sequence, previous hash and hash (the chain can be checked outside the system with scripts/verifyAuditExport.mjs).',
  })
  async auditExport(
    @Ctx() ctx: AuditContext,
    @Arg('format', () => AuditExportFormat) format: AuditExportFormat,
    @Arg('first', () => Int, { defaultValue: 500 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Arg('from', () => Date, { nullable: true }) from: Date | undefined,
    @Arg('to', () => Date, { nullable: true }) to: Date | undefined,
  ): Promise<AuditExportPage> {
    requireRole(ctx, Role.IG_OFFICER);
    // A period as a run of the chain, from the first record of the period to its last, so it can
    // be checked link by link (concurrent gateways may seal records a moment out of time order).
    const sequenceAt = async (edge: 'min' | 'max', at: Date) =>
      (
        await ctx.dataSource
          .getRepository(AuditRecord)
          .createQueryBuilder('r')
          .select(`${edge}(r.sequence)`, 'sequence')
          .where(edge === 'min' ? 'r.recorded >= :at' : 'r.recorded < :at', { at })
          .getRawOne<{ sequence: string | null }>()
      )?.sequence ?? null;
    const [low, high] = await Promise.all([
      from ? sequenceAt('min', from) : '1',
      to ? sequenceAt('max', to) : String(Number.MAX_SAFE_INTEGER),
    ]);
    const query = page(ctx, first, after);
    if (low === null || high === null) query.andWhere('FALSE');
    else query.andWhere('r.sequence BETWEEN :low AND :high', { low, high });
    const rows = await query.getMany();
    const records = rows.slice(0, first);
    return {
      format,
      content:
        format === AuditExportFormat.FHIR_BUNDLE
          ? JSON.stringify(toFhirBundle(records))
          : records.map((r) => `${toJsonLine(r)}\n`).join(''),
      records: records.length,
      firstSequence: records[0]?.sequence ?? null,
      lastSequence: records.at(-1)?.sequence ?? null,
      nextCursor: rows.length > first ? encodeCursor('audit', records.at(-1)!.sequence) : null,
    };
  }

  @Query(() => AuditSummary, {
    nullable: true,
    description: 'Counts over a period (information governance).',
  })
  async auditSummary(
    @Ctx() ctx: AuditContext,
    @Arg('from', () => Date, { nullable: true }) from: Date | undefined,
    @Arg('to', () => Date, { nullable: true }) to: Date | undefined,
  ): Promise<AuditSummary> {
    requireRole(ctx, Role.IG_OFFICER);
    const period = 'r.recorded >= $1 AND r.recorded < $2';
    const params = [from ?? new Date(0), to ?? new Date('9999-01-01')];
    // The trail's table wherever its database keeps it (a schema when embedded).
    const table = ctx.dataSource
      .getMetadata(AuditRecord)
      .tablePath.split('.')
      .map((part) => `"${part}"`)
      .join('.');
    const run = <T>(sql: string) =>
      ctx.dataSource.query(sql.replaceAll('audit_record', table), params) as Promise<T[]>;
    const counts = (rows: { key: string; count: string }[]) =>
      rows.map((r) => ({ key: r.key, count: Number(r.count) }));
    const [[total], byOutcome, denialsByRule, byBasis, reach] = await Promise.all([
      run<{ count: string }>(`SELECT count(*) FROM audit_record r WHERE ${period}`),
      run<{ key: string; count: string }>(
        `SELECT outcome AS key, count(*) FROM audit_record r WHERE ${period} GROUP BY 1 ORDER BY 2 DESC`,
      ),
      run<{ key: string; count: string }>(
        `SELECT d->>'rule' AS key, count(*) FROM audit_record r, jsonb_array_elements(r.denied) d WHERE ${period} GROUP BY 1 ORDER BY 2 DESC`,
      ),
      run<{ key: string; count: string }>(
        `SELECT basis AS key, count(*) FROM audit_record r WHERE ${period} GROUP BY 1 ORDER BY 2 DESC`,
      ),
      run<{ userId: string; accesses: string; subjects: string; cases: string }>(
        `SELECT r."agentUserId" AS "userId", count(*) AS accesses,
                (SELECT count(DISTINCT s) FROM audit_record x, unnest(x."subjectIds") s
                  WHERE x."agentUserId" = r."agentUserId" AND x.recorded >= $1 AND x.recorded < $2) AS subjects,
                count(DISTINCT r."caseReference") AS cases
           FROM audit_record r WHERE ${period} AND r."agentUserId" IS NOT NULL
          GROUP BY 1 ORDER BY 3 DESC, 2 DESC LIMIT 10`,
      ),
    ]);
    return {
      accesses: Number(total.count),
      byOutcome: counts(byOutcome),
      denialsByRule: counts(denialsByRule),
      byBasis: counts(byBasis),
      widestReach: reach.map((r) => ({
        userId: r.userId,
        accesses: Number(r.accesses),
        distinctSubjects: Number(r.subjects),
        distinctCases: Number(r.cases),
      })),
    };
  }

  @Query(() => ChainVerification, {
    nullable: true,
    description: 'Checks the whole audit chain (information governance).',
  })
  async verifyAuditChain(@Ctx() ctx: AuditContext): Promise<ChainVerification> {
    requireRole(ctx, Role.IG_OFFICER);
    return verifyAuditChain(ctx.dataSource);
  }

  @Query(() => AuditEntryPage, {
    nullable: true,
    description:
      "For a custodian agency's own MASH member: every request that reached the agency's records — who, when, case, purpose, basis — showing only the agency's own fields.",
  })
  async custodianAccessLog(
    @Ctx() ctx: AuditContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
  ): Promise<AuditEntryPage> {
    const agency = requireRole(ctx, Role.AGENCY_RESEARCHER).agency!;
    const query = page(ctx, first, after).andWhere(':agency = ANY(r.custodians)', { agency });
    // Another agency's part of the same request is theirs, not this custodian's, to see.
    return pageOf(await query.getMany(), first, (r) => ({
      ...r,
      // The ground's reason can name the family's circumstances: for IG, not for each custodian.
      groundReason: null,
      custodians: [agency],
      granted: r.granted.filter((f) => f.startsWith(`${agency}:`)),
      denied: r.denied.filter((d) => d.custodian === agency),
    }));
  }
}

function requireRole(ctx: AuditContext, role: Role) {
  const caller = callerOf(ctx.forwarded);
  if (caller?.role !== role) {
    throw new GraphQLError('The audit trail is for information governance and custodians only.', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  return caller;
}

function page(
  ctx: AuditContext,
  first: number,
  after: string | undefined,
): SelectQueryBuilder<AuditRecord> {
  if (first < 1 || first > MAX_PAGE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}.`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
  }
  const afterSequence = after ? Number(decodeCursor('audit', after)) : 0;
  if (!Number.isInteger(afterSequence)) {
    throw new GraphQLError('after is not a cursor this API gave out.', {
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  }
  return ctx.dataSource
    .getRepository(AuditRecord)
    .createQueryBuilder('r')
    .where(new Brackets((q) => q.where('r.sequence > :afterSequence', { afterSequence })))
    .orderBy('r.sequence', 'ASC')
    .take(first + 1);
}

function pageOf(
  rows: AuditRecord[],
  first: number,
  show: (r: AuditRecord) => AuditEntry,
): AuditEntryPage {
  const entries = rows.slice(0, first).map(show);
  return {
    entries,
    nextCursor:
      rows.length > first ? encodeCursor('audit', entries[entries.length - 1].sequence) : null,
  };
}

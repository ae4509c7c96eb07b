import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import {
  Arg,
  Ctx,
  Directive,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { DataSource, In, MoreThan } from 'typeorm';
import {
  adultConsentProblem,
  ConsentState,
  GROUNDS_BY_REFERRAL,
  SHARING_BASES,
  SharingBasis,
  SharingGround,
} from '../../policies/consent';
import { policyMatrix } from '../../policies/policyMatrix';
import {
  isAtProtectedAddress,
  mayLearnProtectedAddress,
  normaliseAddressLine,
  normalisePostcode,
  ProtectedAddressField,
  PROTECTED_ADDRESS_POLICY,
  protectedAddressDenial,
} from '../../policies/protectedAddress';
import type { Caller } from '../../policies/accessContext';
import { describeRole, Purpose, Role } from '../../policies/roles';
import { denialError } from '../../schema/denialError';
import { decodeCursor, encodeCursor } from '../../schema/cursor';
import { callerOf, ForwardedAccess } from '../../schema/forwardedAccess';
import type { SubjectMatchDecision } from '../../schema/subject';
import { ReferralAbout } from '../../workflow/continuumOfNeed';
import { AgencyCheckTask } from './entities/agencyCheckTask';
import { Case, CaseStatus } from './entities/case';
import { CaseAccessFacts } from './entities/caseAccessFacts';
import { CaseSummaryConnection } from './entities/caseSummary';
import { CapacityAssessment, ConsentRecord, RecordedGround } from './entities/consent';
import { Decision } from './entities/decision';
import { EarlierMashCase } from './entities/earlierMashCase';
import { earlierCasesOf } from './earlierCases';
import { IdentityMatchDecision } from './entities/identityMatchDecision';
import { PolicyDecision } from './entities/policyDecision';
import { Referral } from './entities/referral';
import { HouseholdRole, Subject } from './entities/subject';

export interface MashContext {
  dataSource: DataSource;
  forwarded: ForwardedAccess;
  subjectsByCase: DataLoader<string, Subject[]>;
  referralById: DataLoader<string, Referral | null>;
  subjectById: DataLoader<string, Subject | null>;
  groundsByCase: DataLoader<string, RecordedGround[]>;
  tasksByCase: DataLoader<string, AgencyCheckTask[]>;
  decisionByCase: DataLoader<string, Decision | null>;
  /** Whether a subject is at a protected address: one query for every subject of a request. */
  atProtectedAddress: DataLoader<Subject, boolean, string>;
  /** The match decisions for each subject in its case: one query for every subject of a request. */
  matchDecisionsBySubject: DataLoader<Subject, SubjectMatchDecision[], string>;
  /** Each subject's earlier MASH cases: two queries for every subject of a request. */
  earlierCasesOf: DataLoader<Subject, EarlierMashCase[], string>;
}

export function createMashContext(dataSource: DataSource, forwarded: ForwardedAccess): MashContext {
  const subjects = dataSource.getRepository(Subject);
  return {
    dataSource,
    forwarded,
    subjectsByCase: new DataLoader(async (caseIds) => {
      // The household oldest first, as a case record lists it; unknown dates of birth last.
      const rows = await subjects.find({
        where: { caseId: In([...caseIds]) },
        order: { dateOfBirth: 'ASC', id: 'ASC' },
      });
      return caseIds.map((id) => rows.filter((s) => s.caseId === id));
    }),
    referralById: new DataLoader(async (ids) => {
      const rows = await dataSource.getRepository(Referral).findBy({ id: In([...ids]) });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    subjectById: new DataLoader(async (ids) => {
      const rows = await subjects.findBy({ id: In([...ids]) });
      return ids.map((id) => rows.find((s) => s.id === id) ?? null);
    }),
    groundsByCase: new DataLoader(async (caseIds) => {
      const rows = await dataSource
        .getRepository(RecordedGround)
        .find({ where: { caseId: In([...caseIds]) }, order: { authorisedAt: 'ASC' } });
      return caseIds.map((id) => rows.filter((g) => g.caseId === id));
    }),
    tasksByCase: new DataLoader(async (caseIds) => {
      const rows = await dataSource
        .getRepository(AgencyCheckTask)
        .find({ where: { caseId: In([...caseIds]) }, order: { agency: 'ASC' } });
      return caseIds.map((id) => rows.filter((t) => t.caseId === id));
    }),
    decisionByCase: new DataLoader(async (caseIds) => {
      const rows = await dataSource.getRepository(Decision).findBy({ caseId: In([...caseIds]) });
      return caseIds.map((id) => rows.find((d) => d.caseId === id) ?? null);
    }),
    atProtectedAddress: new DataLoader(
      async (batch) => {
        const protectedAddresses = await protectedAddressesAmong(dataSource, batch);
        return batch.map((subject) => isAtProtectedAddress(subject, protectedAddresses));
      },
      { cacheKeyFn: (subject) => subject.id },
    ),
    earlierCasesOf: new DataLoader((batch) => earlierCasesOf(dataSource, batch), {
      cacheKeyFn: (subject) => subject.id,
    }),
    matchDecisionsBySubject: new DataLoader(
      async (batch) => {
        const rows = await dataSource.getRepository(IdentityMatchDecision).find({
          select: {
            caseId: true,
            subjectId: true,
            agency: true,
            recordReference: true,
            decision: true,
          },
          where: { subjectId: In(batch.map((s) => s.id)) },
        });
        return batch.map((subject) =>
          rows.filter((d) => d.subjectId === subject.id && d.caseId === subject.caseId),
        );
      },
      { cacheKeyFn: (subject) => subject.id },
    ),
  };
}

// Normalised in SQL exactly as `normaliseAddressLine` / `normalisePostcode` do in policies/.
const NORMALISED_ADDRESS_LINE = `btrim(regexp_replace(lower(s."addressLine"), '[^a-z0-9]+', ' ', 'g'))`;
const NORMALISED_POSTCODE = `regexp_replace(upper(s."postcode"), '[^A-Z0-9]', '', 'g')`;

/**
 * The protected addresses (of any case) that the given subjects could be at: one query, asking
 * only for the batch's own address lines and postcodes, never a scan of every subject per field.
 */
async function protectedAddressesAmong(
  dataSource: DataSource,
  subjects: readonly Subject[],
): Promise<{ addressLines: Set<string>; postcodes: Set<string> }> {
  const lines = unique(subjects.map((s) => normaliseAddressLine(s.addressLine)));
  const postcodes = unique(subjects.map((s) => normalisePostcode(s.postcode)));
  if (lines.length === 0 && postcodes.length === 0) {
    return { addressLines: new Set(), postcodes: new Set() };
  }
  const rows: { addressLine: string | null; postcode: string | null }[] = await dataSource
    .getRepository(Subject)
    .createQueryBuilder('s')
    .select(`${NORMALISED_ADDRESS_LINE}`, 'addressLine')
    .addSelect(`${NORMALISED_POSTCODE}`, 'postcode')
    .distinct(true)
    .where('s."addressConfidential" = true')
    .andWhere(
      `(${[
        ...(lines.length ? [`${NORMALISED_ADDRESS_LINE} IN (:...lines)`] : []),
        ...(postcodes.length ? [`${NORMALISED_POSTCODE} IN (:...postcodes)`] : []),
      ].join(' OR ')})`,
      { lines, postcodes },
    )
    .getRawMany();
  return {
    addressLines: new Set(rows.flatMap((r) => (r.addressLine ? [r.addressLine] : []))),
    postcodes: new Set(rows.flatMap((r) => (r.postcode ? [r.postcode] : []))),
  };
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGE = 100;

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { nullable: true, description: 'A case by its id; null when there is none.' })
  async case(@Arg('id', () => ID) id: string, @Ctx() ctx: MashContext): Promise<Case | null> {
    if (!UUID.test(id)) throw badInput(`"${id}" is not a case id (a UUID).`, 'id');
    return ctx.dataSource.getRepository(Case).findOneBy({ id });
  }

  @Query(() => Case, { nullable: true, description: 'A case by its MASH reference.' })
  async caseByReference(
    @Arg('reference') reference: string,
    @Ctx() ctx: MashContext,
  ): Promise<Case | null> {
    return ctx.dataSource.getRepository(Case).findOneBy({ reference });
  }

  @Query(() => CaseSummaryConnection, {
    nullable: true,
    description: "Case headers in reference order (the manager's list).",
  })
  async cases(
    @Ctx() ctx: MashContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Arg('status', () => CaseStatus, { nullable: true }) status: CaseStatus | undefined,
  ): Promise<CaseSummaryConnection> {
    if (first < 1 || first > MAX_PAGE)
      throw badInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
    // An argument the client leaves out arrives as undefined, one it sends as null as null.
    const afterReference = after ? decodeCursor('case', after) : null;
    const repository = ctx.dataSource.getRepository(Case);
    const filter = status ? { status } : {};
    const [rows, totalCount] = await Promise.all([
      repository.find({
        where: afterReference ? { ...filter, reference: MoreThan(afterReference) } : filter,
        order: { reference: 'ASC' },
        take: first + 1,
      }),
      repository.countBy(filter),
    ]);
    const edges = rows
      .slice(0, first)
      .map((node) => ({ cursor: encodeCursor('case', node.reference), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  @FieldResolver(() => [Subject], { description: 'The people named in the case (the household).' })
  subjects(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<Subject[]> {
    return ctx.subjectsByCase.load(parent.id);
  }

  @FieldResolver(() => Referral)
  async referral(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<Referral> {
    const referral = await ctx.referralById.load(parent.referralId);
    if (!referral) {
      throw new GraphQLError('The referral of this case is missing.', {
        extensions: { code: 'DATA_INTEGRITY' },
      });
    }
    return referral;
  }

  @FieldResolver(() => ConsentRecord, {
    description: 'Consent, and any grounds recorded for sharing without it.',
  })
  async consent(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<ConsentRecord> {
    const [grounds, capacityAssessments] = await Promise.all([
      ctx.groundsByCase.load(parent.id),
      capacityAssessmentsOf(ctx, parent.id),
    ]);
    return {
      state: parent.consent,
      notes: parent.consentNotes,
      recordedBy: parent.consentRecordedBy,
      recordedAt: parent.consentRecordedAt,
      grounds,
      capacityAssessments,
    };
  }

  @Directive('@inaccessible')
  @Query(() => CaseAccessFacts, {
    nullable: true,
    description:
      "For the gateway only: what the policies need to know about a case, by the hub's or the case system's reference.",
  })
  async caseAccessFacts(
    @Arg('reference') reference: string,
    @Ctx() ctx: MashContext,
  ): Promise<CaseAccessFacts | null> {
    if (ctx.forwarded.kind !== 'gateway') throw forbidden('Only the gateway reads access facts.');
    const found = await ctx.dataSource
      .getRepository(Case)
      .findOne({ where: [{ reference }, { externalReference: reference }] });
    if (!found) return null;
    const [grounds, decision] = await Promise.all([
      ctx.groundsByCase.load(found.id),
      ctx.decisionByCase.load(found.id),
    ]);
    // The stage the case has reached (triage, decision) is what earns a purpose.
    return {
      ...found,
      grounds,
      decision: decision?.outcome ?? null,
      receivingService: decision?.receivingService ?? null,
    };
  }

  @Mutation(() => ConsentRecord, {
    nullable: true,
    description: 'Record the consent state of a case (MASH manager).',
  })
  async recordConsent(
    @Arg('caseReference') caseReference: string,
    @Arg('state', () => ConsentState) state: ConsentState,
    @Arg('notes', { description: 'Who was asked, when, and what they said.' }) notes: string,
    @Ctx() ctx: MashContext,
  ): Promise<ConsentRecord> {
    const manager = requireManager(ctx);
    if (!notes.trim()) throw badInput('Say who was asked and what they said (notes).', 'notes');
    const repository = ctx.dataSource.getRepository(Case);
    const found = await findCase(ctx, caseReference);
    const referral = await ctx.referralById.load(found.referralId);
    if (referral?.about === ReferralAbout.ADULT_AT_RISK) {
      const [latest] = await capacityAssessmentsOf(ctx, found.id);
      const problem = adultConsentProblem(state, latest ?? null);
      if (problem) throw badInput(problem, 'state');
    }
    Object.assign(found, {
      consent: state,
      consentNotes: notes.trim(),
      consentRecordedBy: manager,
      consentRecordedAt: new Date(),
    });
    await repository.save(found);
    return this.consent(found, ctx);
  }

  @Mutation(() => RecordedGround, {
    nullable: true,
    description: 'Record a ground for sharing without consent, with why (MASH manager authorises).',
  })
  async recordSharingGround(
    @Arg('caseReference') caseReference: string,
    @Arg('ground', () => SharingGround) ground: SharingGround,
    @Arg('reason', { description: 'Why sharing without consent is justified here.' })
    reason: string,
    @Ctx() ctx: MashContext,
  ): Promise<RecordedGround> {
    const manager = requireManager(ctx);
    if (reason.trim().length < 10)
      throw badInput('Record why the ground applies (reason, 10 characters or more).', 'reason');
    const found = await findCase(ctx, caseReference);
    const about = (await ctx.referralById.load(found.referralId))?.about ?? ReferralAbout.CHILD;
    if (!GROUNDS_BY_REFERRAL[about].includes(ground))
      throw badInput(
        `${ground} is not a ground for a referral about ${about === ReferralAbout.CHILD ? 'a child' : 'an adult at risk'}: one of ${GROUNDS_BY_REFERRAL[about].join(', ')}.`,
        'ground',
      );
    return ctx.dataSource.getRepository(RecordedGround).save({
      caseId: found.id,
      ground,
      authorisedBy: manager,
      authorisedAt: new Date(),
      reason: reason.trim(),
    });
  }

  @Mutation(() => CapacityAssessment, {
    nullable: true,
    description:
      "Record an adult at risk's mental capacity to decide about sharing (MASH manager): who assessed it, when, and the outcome.",
  })
  async recordMentalCapacity(
    @Arg('caseReference') caseReference: string,
    @Arg('subjectId', () => ID, {
      nullable: true,
      description: 'The adult assessed; may be left out when the case names one adult at risk.',
    })
    subjectId: string | null | undefined,
    @Arg('hasCapacity') hasCapacity: boolean,
    @Arg('assessedBy', { description: 'Who assessed it (name and role).' }) assessedBy: string,
    @Arg('assessedAt') assessedAt: Date,
    @Arg('notes', { description: 'How the decision was reached.' }) notes: string,
    @Ctx() ctx: MashContext,
  ): Promise<CapacityAssessment> {
    const manager = requireManager(ctx);
    if (!assessedBy.trim()) throw badInput('Say who assessed the capacity.', 'assessedBy');
    if (notes.trim().length < 10)
      throw badInput('Say how the decision was reached (notes, 10 characters or more).', 'notes');
    const recordedAt = new Date();
    if (assessedAt > recordedAt) throw badInput('assessedAt is in the future.', 'assessedAt');
    const found = await findCase(ctx, caseReference);
    const referral = await ctx.referralById.load(found.referralId);
    if (referral?.about !== ReferralAbout.ADULT_AT_RISK)
      throw badInput(`Case ${caseReference} is not about an adult at risk.`, 'caseReference');
    const adults = (await ctx.subjectsByCase.load(found.id)).filter(
      (s) => s.roleInHousehold === HouseholdRole.ADULT_AT_RISK,
    );
    const subject = subjectId
      ? adults.find((s) => s.id === subjectId)
      : adults.length === 1
        ? adults[0]
        : undefined;
    if (!subject)
      throw badInput(
        subjectId
          ? `${subjectId} is not an adult at risk of case ${caseReference}.`
          : `Case ${caseReference} names ${adults.length} adults at risk: say which (subjectId).`,
        'subjectId',
      );
    return ctx.dataSource.getRepository(CapacityAssessment).save({
      caseId: found.id,
      subjectId: subject.id,
      hasCapacity,
      assessedBy: assessedBy.trim(),
      assessedAt,
      notes: notes.trim(),
      recordedBy: manager,
      recordedAt,
    });
  }
}

/** A case's capacity assessments, newest first. */
function capacityAssessmentsOf(ctx: MashContext, caseId: string): Promise<CapacityAssessment[]> {
  return ctx.dataSource
    .getRepository(CapacityAssessment)
    .find({ where: { caseId }, order: { assessedAt: 'DESC', recordedAt: 'DESC' } });
}

@Resolver(() => Subject)
export class SubjectResolver {
  @FieldResolver(() => String, { nullable: true })
  addressLine(@Root() subject: Subject, @Ctx() ctx: MashContext): Promise<string | null> {
    return unlessProtected(subject, 'addressLine', ctx);
  }

  @FieldResolver(() => String, { nullable: true })
  postcode(@Root() subject: Subject, @Ctx() ctx: MashContext): Promise<string | null> {
    return unlessProtected(subject, 'postcode', ctx);
  }

  // Hidden from clients: the gateway's API has no such field, so only the planner asks for it,
  // for an agency's @requires; what the gateway sends an agency is bound to that one fetch.
  @Directive('@inaccessible')
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "For the agencies' matching only, never offered to clients: the postcode as the referral gave it, protected or not (policies/protectedAddress.ts).",
  })
  matchingPostcode(@Root() subject: Subject): string | null {
    return PROTECTED_ADDRESS_POLICY.agenciesMatchOnIt || !subject.addressConfidential
      ? subject.postcode
      : null;
  }
}

/**
 * A protected address never leaves the hub, on whichever subject of whichever case it is recorded
 * (policies/protectedAddress.ts). The agencies match on `matchingPostcode` instead, which no
 * client can ask for.
 */
async function unlessProtected(
  subject: Subject,
  field: ProtectedAddressField,
  ctx: MashContext,
): Promise<string | null> {
  if (mayLearnProtectedAddress(callerOf(ctx.forwarded)?.role ?? null)) return subject[field];
  if (await ctx.atProtectedAddress.load(subject)) throw denialError(protectedAddressDenial());
  return subject[field];
}

/** Federation: other subgraphs refer to a subject by id only. */
export const mashReferenceResolvers = {
  Subject: {
    __resolveReference: (reference: { id: string }, ctx: MashContext) =>
      ctx.subjectById.load(reference.id),
  },
  Case: {
    __resolveReference: (reference: { id: string }, ctx: MashContext) =>
      ctx.dataSource.getRepository(Case).findOneBy({ id: reference.id }),
  },
};

/** The gateway decided the request; the hub still checks who may record (defence in depth). */
export function requireManager(ctx: MashContext): string {
  return requireRole(ctx, Role.MASH_MANAGER).userId;
}

export function requireRole(ctx: MashContext, ...roles: Role[]): Caller {
  const caller = callerOf(ctx.forwarded);
  if (!caller || !roles.includes(caller.role))
    throw forbidden(`Only ${roles.map(describeRole).join(' or ')} may do this.`);
  return caller;
}

export async function findCase(ctx: MashContext, reference: string): Promise<Case> {
  const found = await ctx.dataSource.getRepository(Case).findOneBy({ reference });
  if (!found) throw noSuchCase(reference);
  return found;
}

export function noSuchCase(reference: string): GraphQLError {
  return new GraphQLError(`There is no case ${reference}.`, { extensions: { code: 'NOT_FOUND' } });
}

export function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

@Resolver()
export class PolicyMatrixResolver {
  @Query(() => [PolicyDecision], {
    nullable: true,
    description:
      'The policy matrix for information governance: every agency field × role × purpose × basis, decided by the rules the gateway runs.',
  })
  async policyMatrix(
    @Arg('role', () => Role, { nullable: true }) role: Role | undefined,
    @Arg('purpose', () => Purpose, { nullable: true }) purpose: Purpose | undefined,
    @Arg('basis', () => String, {
      nullable: true,
      description: 'CONSENT, a SharingGround, or NONE.',
    })
    basis: string | undefined,
    @Arg('custodian', () => String, { nullable: true }) custodian: string | undefined,
  ): Promise<PolicyDecision[]> {
    if (basis && !SHARING_BASES.includes(basis as SharingBasis)) {
      throw badInput(`basis must be one of ${SHARING_BASES.join(', ')}.`, 'basis');
    }
    return policyMatrix({ role, purpose, basis: basis as SharingBasis | undefined, custodian });
  }
}

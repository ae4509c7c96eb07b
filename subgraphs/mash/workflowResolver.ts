import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { EntityManager, EntityTarget, In, IsNull, ObjectLiteral } from 'typeorm';
import { ConsentState } from '../../policies/consent';
import { ReceivingService, receivingServiceFor } from '../../policies/handOver';
import { Role } from '../../policies/roles';
import {
  CONTINUUM_OF_NEED,
  MashOutcome,
  OUTCOMES_BY_REFERRAL,
  ReferralAbout,
  ThresholdOfNeed,
} from '../../workflow/continuumOfNeed';
import {
  childIdentityKey,
  measureConsultations,
  measurePerformance,
  ReferralJourney,
} from '../../workflow/measures';
import { intakeProblems } from '../../workflow/referralIntake';
import { checksDueAt, earlyHelpAssessmentDueAt } from '../../workflow/timeliness';
import { HUB_AGENCIES, MASH_TEAMS, TIMELINESS, untriagedCase } from './data';
import {
  AgencyCheckFindingInput,
  AgencyCheckTask,
  OverdueAgencyCheck,
} from './entities/agencyCheckTask';
import { Case, CaseStatus } from './entities/case';
import { Consultation } from './entities/consultation';
import { AgencyAction, AgencyActionInput, Decision } from './entities/decision';
import { MashPerformance } from './entities/measures';
import { FamilyInformedInput } from './entities/familyInformed';
import { Referral, ReferralInput } from './entities/referral';
import { ReferralStage, ReferralStatus } from './entities/referralStatus';
import { Subject } from './entities/subject';
import { RagRating, Triage } from './entities/triage';
import {
  badInput,
  forbidden,
  MashContext,
  noSuchCase,
  requireManager,
  requireRole,
} from './resolver';

/**
 * The MASH workflow: a referral comes in at the single point of entry, a manager triages it, each
 * agency records its check by the RAG deadline, and the manager decides.
 */
@Resolver(() => Case)
export class WorkflowResolver {
  @Mutation(() => ReferralStatus, {
    nullable: true,
    description:
      'The single point of entry: a referral with the people it names. Opens a case; nothing is saved if anything is wrong.',
  })
  async submitReferral(
    @Arg('referral', () => ReferralInput) input: ReferralInput,
    @Ctx() ctx: MashContext,
  ): Promise<ReferralStatus> {
    const caller = requireRole(ctx, Role.REFERRER, Role.MASH_MANAGER);
    const receivedAt = new Date();
    const problems = intakeProblems(input, receivedAt);
    if (problems.length > 0) {
      throw new GraphQLError(
        `The referral cannot be accepted: ${problems.map((p) => `${p.field}: ${p.message}`).join(' ')}`,
        { extensions: { code: 'BAD_USER_INPUT', problems } },
      );
    }
    const consent = !input.consentSought
      ? ConsentState.NOT_SOUGHT
      : input.consentGiven
        ? ConsentState.GIVEN
        : ConsentState.REFUSED;
    return ctx.dataSource.transaction(async (manager) => {
      const referral = await manager.save(Referral, {
        id: crypto.randomUUID(),
        receivedAt,
        referrerType: input.referrerType,
        referrerName: input.referrerName?.trim() || null,
        referrerOrganisation: input.referrerOrganisation?.trim() || null,
        referrerContact: input.referrerContact?.trim() || null,
        submittedBy: caller.role === Role.REFERRER ? caller.userId : null,
        concerns: input.concerns.trim(),
        immediateRisk: input.immediateRisk,
        consentSought: input.consentSought,
        consentGiven: input.consentSought ? Boolean(input.consentGiven) : null,
        rag: null,
        about: input.about,
        ...earlyHelpAssessmentOnReceipt(input, receivedAt),
        ...familyInformedColumns(input.familyInformed, caller.userId, receivedAt),
      });
      const opened = await manager.save(Case, {
        id: crypto.randomUUID(),
        reference: await nextCaseReference(manager, receivedAt),
        status: CaseStatus.OPEN,
        openedAt: receivedAt,
        referralId: referral.id,
        externalReference: null,
        // A manager taking a referral (e.g. by phone) keeps it in their team; otherwise the least loaded.
        teams: [
          caller.team && MASH_TEAMS.includes(caller.team)
            ? caller.team
            : await leastLoadedTeam(manager),
        ],
        consent,
        consentNotes: input.consentNotes?.trim() || null,
        consentRecordedBy: caller.userId,
        consentRecordedAt: receivedAt,
        ...untriagedCase(receivedAt),
      });
      await manager.save(
        Subject,
        input.subjects.map((s) => ({
          id: crypto.randomUUID(),
          caseId: opened.id,
          roleInHousehold: s.roleInHousehold,
          givenName: s.givenName.trim(),
          familyName: s.familyName.trim(),
          dateOfBirth: s.dateOfBirth ?? null,
          sex: s.sex ?? null,
          addressLine: s.addressLine?.trim() || null,
          postcode: s.postcode?.trim().toUpperCase() || null,
          nhsNumber: s.nhsNumber?.replace(/\s/g, '') || null,
          addressConfidential: s.addressConfidential,
        })),
      );
      return referralStatus(referral, opened, null);
    });
  }

  @Mutation(() => Case, {
    nullable: true,
    description:
      'Triage (MASH manager): the RAG rating and threshold of need, with reasons. Asks every agency for its check, due by the RAG deadline.',
  })
  async triageReferral(
    @Arg('caseReference') caseReference: string,
    @Arg('rag', () => RagRating) rag: RagRating,
    @Arg('threshold', () => ThresholdOfNeed, {
      nullable: true,
      description: "A child's level on the continuum of need; none for an adult at risk.",
    })
    threshold: ThresholdOfNeed | null | undefined,
    @Arg('reason') reason: string,
    @Ctx() ctx: MashContext,
  ): Promise<Case> {
    const managerId = requireManager(ctx);
    if (reason.trim().length < 10)
      throw badInput(
        'Say why this rating and threshold (reason, 10 characters or more).',
        'reason',
      );
    return ctx.dataSource.transaction(async (manager) => {
      const found = await lockOpenCase(manager, caseReference);
      if (found.triagedAt)
        throw conflict(`Case ${caseReference} was triaged at ${found.triagedAt.toISOString()}.`);
      const referral = await manager.findOneByOrFail(Referral, { id: found.referralId });
      // The continuum of need is children's: an adult at risk is triaged by urgency alone.
      if (referral.about === ReferralAbout.ADULT_AT_RISK && threshold)
        throw badInput(
          "An adult at risk has no threshold on the children's continuum of need: leave it out.",
          'threshold',
        );
      if (referral.about === ReferralAbout.CHILD && !threshold)
        throw badInput("Set the child's threshold of need.", 'threshold');
      const triagedAt = new Date();
      const dueAt = checksDueAt(triagedAt, rag, TIMELINESS);
      Object.assign(found, {
        threshold: threshold ?? null,
        triageReason: reason.trim(),
        triagedBy: managerId,
        triagedAt,
        checksDueAt: dueAt,
      });
      await manager.save(found);
      await manager.update(
        Referral,
        { id: found.referralId },
        { rag, ...earlyHelpAssessmentAtTriage(referral, threshold ?? null) },
      );
      await manager.insert(
        AgencyCheckTask,
        HUB_AGENCIES.map((agency) => ({ caseId: found.id, agency, requestedAt: triagedAt, dueAt })),
      );
      ctx.referralById.clear(found.referralId);
      return found;
    });
  }

  @Mutation(() => AgencyCheckTask, {
    nullable: true,
    description:
      "An agency's researcher records their agency's check for the case: a proportionate summary, the Signs of Safety analysis and the agency's view of risk.",
  })
  async recordAgencyCheck(
    @Arg('caseReference') caseReference: string,
    @Arg('finding', () => AgencyCheckFindingInput) finding: AgencyCheckFindingInput,
    @Ctx() ctx: MashContext,
  ): Promise<AgencyCheckTask> {
    const researcher = requireRole(ctx, Role.AGENCY_RESEARCHER);
    if (!researcher.agency) throw forbidden('Your token names no agency.');
    if (finding.summary.trim().length < 10)
      throw badInput(
        'Give a summary of what your agency holds (10 characters or more).',
        'finding',
      );
    for (const part of ['worries', 'workingWell', 'needsToHappen'] as const) {
      if (!finding[part].trim())
        throw badInput(`Answer ${part} (write "none known" if so).`, `finding.${part}`);
    }
    return ctx.dataSource.transaction(async (manager) => {
      const found = await lockOpenCase(manager, caseReference);
      const task = await manager.findOneBy(AgencyCheckTask, {
        caseId: found.id,
        agency: researcher.agency!,
      });
      if (!task)
        throw conflict(`Case ${caseReference} has not asked ${researcher.agency} for a check yet.`);
      if (task.completedAt)
        throw conflict(`${researcher.agency}'s check for ${caseReference} is already recorded.`);
      Object.assign(task, {
        completedAt: new Date(),
        completedBy: researcher.userId,
        summary: finding.summary.trim(),
        worries: finding.worries.trim(),
        workingWell: finding.workingWell.trim(),
        needsToHappen: finding.needsToHappen.trim(),
        riskView: finding.riskView,
      });
      return manager.save(task);
    });
  }

  @Mutation(() => Decision, {
    nullable: true,
    description:
      'The MASH manager decides: the outcome, why, and the RAG rating after the checks. Closes the MASH stage of the case.',
  })
  async recordDecision(
    @Arg('caseReference') caseReference: string,
    @Arg('outcome', () => MashOutcome) outcome: MashOutcome,
    @Arg('rationale') rationale: string,
    @Arg('ragAfterChecks', () => RagRating) ragAfterChecks: RagRating,
    @Arg('receivingService', () => ReceivingService, {
      nullable: true,
      description:
        'The service the case is handed over to; left out, the one the outcome implies (none for no further action).',
    })
    receivingService: ReceivingService | null | undefined,
    @Arg('agencyActions', () => [AgencyActionInput], {
      defaultValue: [],
      description: 'What the decision asks each agency to do, e.g. a health visitor follow-up.',
    })
    agencyActions: AgencyActionInput[],
    @Ctx() ctx: MashContext,
  ): Promise<Decision> {
    const managerId = requireManager(ctx);
    if (rationale.trim().length < 20)
      throw badInput('Record the rationale (20 characters or more).', 'rationale');
    const receiving = receivingServiceFor(outcome, receivingService);
    if ('problem' in receiving) throw badInput(receiving.problem, 'receivingService');
    const actions = agencyActions.map(agencyAction);
    return ctx.dataSource.transaction(async (manager) => {
      const found = await lockOpenCase(manager, caseReference);
      if (!found.triagedAt) throw conflict(`Case ${caseReference} has not been triaged.`);
      const { about } = await manager.findOneByOrFail(Referral, { id: found.referralId });
      if (!OUTCOMES_BY_REFERRAL[about].includes(outcome))
        throw badInput(
          `${outcome} is not an outcome for a referral about ${about === ReferralAbout.CHILD ? 'a child' : 'an adult at risk'}: one of ${OUTCOMES_BY_REFERRAL[about].join(', ')}.`,
          'outcome',
        );
      const outstanding = await manager.findBy(AgencyCheckTask, {
        caseId: found.id,
        completedAt: IsNull(),
      });
      const decidedAt = new Date();
      const decision = await manager.save(Decision, {
        caseId: found.id,
        outcome,
        rationale: rationale.trim(),
        ragAfterChecks,
        decidedBy: managerId,
        decidedAt,
        withinDeadline: decidedAt <= found.decisionDueAt,
        checksOutstanding: outstanding.map((t) => t.agency).sort(),
        receivingService: receiving.service,
        agencyActions: actions,
      });
      await manager.update(Case, { id: found.id }, { status: CaseStatus.DECIDED });
      return decision;
    });
  }

  @FieldResolver(() => Triage, { nullable: true, description: 'Null until a manager triages.' })
  async triage(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<Triage | null> {
    const referral = await ctx.referralById.load(parent.referralId);
    if (!parent.triagedAt || !referral?.rag) return null;
    return {
      rag: referral.rag,
      threshold: parent.threshold,
      level: CONTINUUM_OF_NEED.levels.find((l) => l.threshold === parent.threshold)?.level ?? null,
      reason: parent.triageReason ?? '',
      triagedBy: parent.triagedBy ?? '',
      triagedAt: parent.triagedAt,
      checksDueAt: parent.checksDueAt!,
    };
  }

  @FieldResolver(() => [AgencyCheckTask], {
    description: 'The agency checks asked for at triage, in agency order.',
  })
  agencyChecks(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<AgencyCheckTask[]> {
    return ctx.tasksByCase.load(parent.id);
  }

  @FieldResolver(() => Decision, { nullable: true, description: 'Null until decided.' })
  decision(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<Decision | null> {
    return ctx.decisionByCase.load(parent.id);
  }

  @Query(() => [ReferralStatus], {
    nullable: true,
    description: "A referrer's own referrals, newest first: where each is and its outcome.",
  })
  async myReferrals(@Ctx() ctx: MashContext): Promise<ReferralStatus[]> {
    const referrer = requireRole(ctx, Role.REFERRER);
    const referrals = await ctx.dataSource.getRepository(Referral).find({
      where: { submittedBy: referrer.userId },
      order: { receivedAt: 'DESC' },
      take: 100,
    });
    if (referrals.length === 0) return [];
    const cases = await ctx.dataSource
      .getRepository(Case)
      .findBy({ referralId: In(referrals.map((r) => r.id)) });
    return Promise.all(
      referrals.map(async (referral) => {
        const opened = cases.find((c) => c.referralId === referral.id)!;
        return referralStatus(referral, opened, await ctx.decisionByCase.load(opened.id));
      }),
    );
  }

  @Query(() => [OverdueAgencyCheck], {
    nullable: true,
    description:
      "Agency checks past their deadline and not done, most overdue first. A researcher sees their own agency's.",
  })
  async overdueAgencyChecks(
    @Ctx() ctx: MashContext,
    @Arg('agency', () => String, { nullable: true }) agency: string | undefined,
  ): Promise<OverdueAgencyCheck[]> {
    const caller = requireRole(ctx, Role.MASH_MANAGER, Role.AGENCY_RESEARCHER);
    const scope = caller.role === Role.AGENCY_RESEARCHER ? caller.agency : agency;
    if (scope && !HUB_AGENCIES.includes(scope))
      throw badInput(`agency must be one of ${HUB_AGENCIES.join(', ')}.`, 'agency');
    const now = new Date();
    // One query: the check, its open case and the case's RAG rating, most overdue first.
    const overdue = await ctx.dataSource
      .getRepository(AgencyCheckTask)
      .createQueryBuilder('t')
      .innerJoin(Case, 'c', 'c.id = t.caseId AND c.status = :open', { open: CaseStatus.OPEN })
      .innerJoin(Referral, 'r', 'r.id = c.referralId AND r.rag IS NOT NULL')
      .select([
        'c.reference AS "caseReference"',
        't.agency AS agency',
        'r.rag AS rag',
        't.dueAt AS "dueAt"',
      ])
      .where('t.completedAt IS NULL AND t.dueAt < :now', { now })
      .andWhere(scope ? 't.agency = :scope' : 'TRUE', { scope })
      .orderBy('t.dueAt', 'ASC')
      .limit(500)
      .getRawMany<{ caseReference: string; agency: string; rag: RagRating; dueAt: Date }>();
    return overdue.map((row) => {
      const dueAt = new Date(row.dueAt);
      return {
        ...row,
        dueAt,
        minutesOverdue: Math.floor((now.getTime() - dueAt.getTime()) / 60_000),
      };
    });
  }

  @Query(() => MashPerformance, {
    nullable: true,
    description:
      'Performance for managers: referrals received in [from, to) by source, timeliness of decisions and agency checks, outcomes, RAG changes and repeat referrals.',
  })
  async mashPerformance(
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() ctx: MashContext,
  ): Promise<MashPerformance> {
    requireManager(ctx);
    if (!(from < to)) throw badInput('from must be before to.', 'from');
    const asOf = new Date();
    // Earlier referrals count for repeat referrals: a year before the period is enough.
    const since = new Date(from.getTime() - 366 * 86_400_000);
    const [journeys, consultations] = await Promise.all([
      loadJourneys(ctx, since, to),
      ctx.dataSource
        .getRepository(Consultation)
        .createQueryBuilder('c')
        .where('c.askedAt >= :from AND c.askedAt < :to', { from, to })
        .getMany(),
    ]);
    return {
      from,
      to,
      asOf,
      scheme: TIMELINESS.name,
      ...measurePerformance(journeys, from, to, asOf),
      consultations: measureConsultations(
        consultations.map((c) => ({ ...c, becameReferral: c.caseId !== null })),
        from,
        to,
      ),
    };
  }
}

/**
 * Each referral received in [since, to), with its triage, checks, decision and children. Every
 * query joins back to the referrals of the period rather than taking a list of case ids: a busy
 * hub's year is more cases than PostgreSQL takes parameters in one statement.
 */
async function loadJourneys(ctx: MashContext, since: Date, to: Date): Promise<ReferralJourney[]> {
  const ofPeriod = <T extends ObjectLiteral>(entity: EntityTarget<T>, caseId: string) =>
    ctx.dataSource
      .getRepository(entity)
      .createQueryBuilder('x')
      .innerJoin(Case, 'c', `c.id = ${caseId}`)
      .innerJoin(Referral, 'r', 'r.id = c.referralId')
      .where('r.receivedAt >= :since AND r.receivedAt < :to', { since, to });
  const [rows, tasks, decisions, children] = await Promise.all([
    ofPeriod(Case, 'x.id')
      .select([
        'c.id AS id',
        'r.receivedAt AS "receivedAt"',
        'r.referrerType AS "referrerType"',
        'r.rag AS rag',
        'r.about AS about',
        'r.earlyHelpAssessmentDueAt AS "ehaDueAt"',
        'r.earlyHelpAssessmentSuppliedAt AS "ehaSuppliedAt"',
        'c.decisionDueAt AS "decisionDueAt"',
      ])
      .getRawMany<{
        id: string;
        receivedAt: Date;
        referrerType: string;
        rag: RagRating | null;
        about: ReferralAbout;
        ehaDueAt: Date | null;
        ehaSuppliedAt: Date | null;
        decisionDueAt: Date;
      }>(),
    ofPeriod(AgencyCheckTask, 'x.caseId').getMany(),
    ofPeriod(Decision, 'x.caseId').getMany(),
    ofPeriod(Subject, 'x.caseId')
      .andWhere('x.roleInHousehold IN (:...roles)', { roles: ['CHILD', 'SIBLING'] })
      .getMany(),
  ]);
  const tasksOf = groupByCase(tasks);
  const childrenOf = groupByCase(children);
  const decisionOf = new Map(decisions.map((d) => [d.caseId, d]));
  return rows.map((row) => {
    const decision = decisionOf.get(row.id);
    return {
      receivedAt: new Date(row.receivedAt),
      source: row.referrerType,
      decisionDueAt: new Date(row.decisionDueAt),
      triageRag: row.rag,
      decision: decision
        ? {
            outcome: decision.outcome,
            decidedAt: decision.decidedAt,
            ragAfterChecks: decision.ragAfterChecks,
          }
        : null,
      checks: tasksOf.get(row.id) ?? [],
      childKeys: (childrenOf.get(row.id) ?? [])
        .map(childIdentityKey)
        .filter((key): key is string => key !== null),
      about: row.about,
      earlyHelpAssessment: row.ehaDueAt
        ? {
            dueAt: new Date(row.ehaDueAt),
            suppliedAt: row.ehaSuppliedAt ? new Date(row.ehaSuppliedAt) : null,
          }
        : null,
    };
  });
}

/**
 * A child's Early Help Assessment as the referral brings it. A child-protection concern (the
 * referrer sees immediate risk) may come without one: it is then due 48 hours after receipt on
 * the MASH clock.
 */
function earlyHelpAssessmentOnReceipt(
  input: ReferralInput,
  receivedAt: Date,
): Pick<
  Referral,
  | 'earlyHelpAssessmentReference'
  | 'earlyHelpAssessmentSummary'
  | 'earlyHelpAssessmentSuppliedAt'
  | 'earlyHelpAssessmentDueAt'
> {
  const given = input.earlyHelpAssessment;
  const childProtection = input.about === ReferralAbout.CHILD && input.immediateRisk;
  return {
    earlyHelpAssessmentReference: given?.reference?.trim() || null,
    earlyHelpAssessmentSummary: given?.summary?.trim() || null,
    earlyHelpAssessmentSuppliedAt: given ? receivedAt : null,
    earlyHelpAssessmentDueAt:
      !given && childProtection ? earlyHelpAssessmentDueAt(receivedAt, TIMELINESS) : null,
  };
}

/** Triage at child protection starts the 48 hours for a missing assessment, from receipt. */
function earlyHelpAssessmentAtTriage(
  referral: Referral,
  threshold: ThresholdOfNeed | null,
): Partial<Pick<Referral, 'earlyHelpAssessmentDueAt'>> {
  if (
    threshold !== ThresholdOfNeed.CHILD_PROTECTION ||
    referral.earlyHelpAssessmentSuppliedAt ||
    referral.earlyHelpAssessmentDueAt
  )
    return {};
  return { earlyHelpAssessmentDueAt: earlyHelpAssessmentDueAt(referral.receivedAt, TIMELINESS) };
}

/** The referral's columns for whether the family was told; all null when nobody has said. */
export function familyInformedColumns(
  informed: FamilyInformedInput | null | undefined,
  recordedBy: string,
  recordedAt: Date,
): Pick<
  Referral,
  | 'familyTold'
  | 'familyToldBy'
  | 'familyToldAt'
  | 'familyNotToldReason'
  | 'familyNotToldDecidedBy'
  | 'familyInformedRecordedBy'
  | 'familyInformedRecordedAt'
> {
  return {
    familyTold: informed ? informed.told : null,
    familyToldBy: (informed?.told && informed.toldBy?.trim()) || null,
    familyToldAt: (informed?.told && informed.toldAt) || null,
    familyNotToldReason: (informed && !informed.told && informed.notToldReason?.trim()) || null,
    familyNotToldDecidedBy:
      (informed && !informed.told && informed.notToldDecidedBy?.trim()) || null,
    familyInformedRecordedBy: informed ? recordedBy : null,
    familyInformedRecordedAt: informed ? recordedAt : null,
  };
}

function groupByCase<T extends { caseId: string }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.caseId) ?? [];
    group.push(item);
    groups.set(item.caseId, group);
  }
  return groups;
}

function referralStatus(
  referral: Referral,
  opened: Case,
  decision: Decision | null,
): ReferralStatus {
  return {
    referralId: referral.id,
    caseReference: opened.reference,
    receivedAt: referral.receivedAt,
    stage: decision
      ? ReferralStage.DECIDED
      : opened.triagedAt
        ? ReferralStage.CHECKS_UNDER_WAY
        : ReferralStage.RECEIVED,
    decisionDueAt: opened.decisionDueAt,
    outcome: decision?.outcome ?? null,
    decidedAt: decision?.decidedAt ?? null,
  };
}

/** An action for an agency of the hub, trimmed, with a real date if any; BAD_USER_INPUT otherwise. */
function agencyAction(input: AgencyActionInput, index: number): AgencyAction {
  const at = `agencyActions[${index}]`;
  if (!HUB_AGENCIES.includes(input.agency))
    throw badInput(
      `${input.agency} is not an agency of the hub: one of ${HUB_AGENCIES.join(', ')}.`,
      `${at}.agency`,
    );
  const action = input.action.trim();
  if (action.length < 5 || action.length > 300)
    throw badInput('Say what the agency is to do (5 to 300 characters).', `${at}.action`);
  const dueDate = input.dueDate?.trim() || null;
  if (dueDate !== null && !isIsoDate(dueDate))
    throw badInput('Give the due date as YYYY-MM-DD.', `${at}.dueDate`);
  return { agency: input.agency, action, dueDate };
}

function isIsoDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  // 2026-02-30 parses (as 2 March): only a date that reads back the same is real.
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(text) &&
    !isNaN(date.getTime()) &&
    date.toISOString().startsWith(text)
  );
}

/** The case, locked for this transaction, so two people cannot triage or decide it at once. */
async function lockOpenCase(manager: EntityManager, reference: string): Promise<Case> {
  const found = await manager.findOne(Case, {
    where: { reference },
    lock: { mode: 'pessimistic_write' },
  });
  if (!found) throw noSuchCase(reference);
  if (found.status !== CaseStatus.OPEN)
    throw conflict(`Case ${reference} is ${found.status.toLowerCase()}, not open in the MASH.`);
  return found;
}

/** The next reference in the year of receipt, under a lock so concurrent intakes never clash. */
async function nextCaseReference(manager: EntityManager, receivedAt: Date): Promise<string> {
  const prefix = `MASH-${receivedAt.getUTCFullYear()}-`;
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['mash-case-reference']);
  const { last } = (await manager
    .getRepository(Case)
    .createQueryBuilder('c')
    .select('max(c.reference)', 'last')
    // Only the hub's own numbering: the synthetic earlier referrals carry a letter.
    .where('c.reference ~ :pattern', { pattern: `^${prefix}[0-9]{6}$` })
    .getRawOne<{ last: string | null }>())!;
  const next = last ? Number(String(last).slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(next).padStart(6, '0')}`;
}

async function leastLoadedTeam(manager: EntityManager): Promise<string> {
  const loads: { team: string; open: number }[] = [];
  for (const team of MASH_TEAMS) {
    const open = await manager
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.status = :open AND :team = ANY(c.teams)', { open: CaseStatus.OPEN, team })
      .getCount();
    loads.push({ team, open });
  }
  return loads.sort((a, b) => a.open - b.open || a.team.localeCompare(b.team))[0].team;
}

/** A request that clashes with what the hub already holds (done twice, or linked elsewhere). */
export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT' } });
}

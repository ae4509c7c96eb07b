import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../policies/roles';
import { ReferralAbout } from '../../workflow/continuumOfNeed';
import { familyInformedProblems } from '../../workflow/referralIntake';
import { Case, CaseStatus } from './entities/case';
import { EarlyHelpAssessment, EarlyHelpAssessmentInput } from './entities/earlyHelpAssessment';
import { FamilyInformed, FamilyInformedInput } from './entities/familyInformed';
import { Referral } from './entities/referral';
import { FollowUpKind, ReferralFollowUp } from './entities/referralFollowUp';
import { badInput, findCase, MashContext, requireManager, requireRole } from './resolver';
import { familyInformedColumns } from './workflowResolver';

/**
 * What a referral owes after intake: a child-protection referral's Early Help Assessment within 48
 * hours, and telling the family (or recording why not). The case shows both; the manager's list of
 * follow-ups shows what is late.
 */
@Resolver(() => Case)
export class FollowUpResolver {
  @FieldResolver(() => FamilyInformed, {
    description: 'Whether the family was told of the referral, or why not.',
  })
  async familyInformed(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<FamilyInformed> {
    return familyInformedOf((await ctx.referralById.load(parent.referralId))!);
  }

  @Mutation(() => FamilyInformed, {
    nullable: true,
    description:
      'Record whether the family was told of the referral, by whom and when; or why not, and who judged that telling them would increase the risk (MASH manager).',
  })
  async recordFamilyInformed(
    @Arg('caseReference') caseReference: string,
    @Arg('informed', () => FamilyInformedInput) informed: FamilyInformedInput,
    @Ctx() ctx: MashContext,
  ): Promise<FamilyInformed> {
    const manager = requireManager(ctx);
    const now = new Date();
    const [problem] = familyInformedProblems(informed, now);
    if (problem) throw badInput(problem.message, `informed.${problem.field}`);
    const found = await findCase(ctx, caseReference);
    await ctx.dataSource
      .getRepository(Referral)
      .update({ id: found.referralId }, familyInformedColumns(informed, manager, now));
    ctx.referralById.clear(found.referralId);
    return familyInformedOf((await ctx.referralById.load(found.referralId))!);
  }

  @Mutation(() => EarlyHelpAssessment, {
    nullable: true,
    description:
      "Attach a child's Early Help Assessment to the referral that came without it (MASH manager).",
  })
  async supplyEarlyHelpAssessment(
    @Arg('caseReference') caseReference: string,
    @Arg('assessment', () => EarlyHelpAssessmentInput) assessment: EarlyHelpAssessmentInput,
    @Ctx() ctx: MashContext,
  ): Promise<EarlyHelpAssessment> {
    requireManager(ctx);
    if (!assessment.reference?.trim() && !assessment.summary?.trim())
      throw badInput(
        "Give the assessment's summary or the early-help system's reference for it.",
        'assessment',
      );
    const found = await findCase(ctx, caseReference);
    const referral = (await ctx.referralById.load(found.referralId))!;
    if (referral.about !== ReferralAbout.CHILD)
      throw badInput('An Early Help Assessment is made for a child, not an adult.', 'assessment');
    await ctx.dataSource.getRepository(Referral).update(
      { id: referral.id },
      {
        earlyHelpAssessmentReference: assessment.reference?.trim() || null,
        earlyHelpAssessmentSummary: assessment.summary?.trim() || null,
        earlyHelpAssessmentSuppliedAt: new Date(),
      },
    );
    ctx.referralById.clear(referral.id);
    return earlyHelpAssessmentOf((await ctx.referralById.load(referral.id))!, new Date())!;
  }

  @Query(() => [ReferralFollowUp], {
    nullable: true,
    description:
      "What open cases' referrals still owe, most overdue first: Early Help Assessments past their 48 hours, and families not told with no reason recorded (MASH manager).",
  })
  async overdueFollowUps(@Ctx() ctx: MashContext): Promise<ReferralFollowUp[]> {
    requireRole(ctx, Role.MASH_MANAGER);
    const now = new Date();
    const rows = await ctx.dataSource
      .getRepository(Referral)
      .createQueryBuilder('r')
      .innerJoin(Case, 'c', 'c.referralId = r.id AND c.status = :open', { open: CaseStatus.OPEN })
      .select([
        'c.reference AS "caseReference"',
        'r.receivedAt AS "receivedAt"',
        'r.earlyHelpAssessmentDueAt AS "ehaDueAt"',
        'r.familyTold AS "familyTold"',
        'r.familyNotToldReason AS "familyNotToldReason"',
      ])
      .where(
        '(r.earlyHelpAssessmentSuppliedAt IS NULL AND r.earlyHelpAssessmentDueAt < :now)' +
          ' OR (r.familyTold IS NOT TRUE AND r.familyNotToldReason IS NULL)',
        { now },
      )
      .limit(1000)
      .getRawMany<{
        caseReference: string;
        receivedAt: Date;
        ehaDueAt: Date | null;
        familyTold: boolean | null;
        familyNotToldReason: string | null;
      }>();
    const minutesSince = (at: Date) => Math.floor((now.getTime() - at.getTime()) / 60_000);
    return rows
      .flatMap((row): ReferralFollowUp[] => {
        const receivedAt = new Date(row.receivedAt);
        const dueAt = row.ehaDueAt ? new Date(row.ehaDueAt) : null;
        const items: ReferralFollowUp[] = [];
        if (dueAt && dueAt < now)
          items.push({
            caseReference: row.caseReference,
            kind: FollowUpKind.EARLY_HELP_ASSESSMENT,
            receivedAt,
            dueAt,
            minutesOverdue: minutesSince(dueAt),
          });
        if (row.familyTold !== true && !row.familyNotToldReason)
          items.push({
            caseReference: row.caseReference,
            kind: FollowUpKind.FAMILY_NOT_TOLD,
            receivedAt,
            dueAt: null,
            minutesOverdue: minutesSince(receivedAt),
          });
        return items;
      })
      .sort((a, b) => b.minutesOverdue - a.minutesOverdue);
  }
}

@Resolver(() => Referral)
export class EarlyHelpAssessmentResolver {
  @FieldResolver(() => EarlyHelpAssessment, {
    nullable: true,
    description:
      "The child's Early Help Assessment, or its deadline when a child-protection referral came without it; null for an adult at risk.",
  })
  earlyHelpAssessment(@Root() referral: Referral): EarlyHelpAssessment | null {
    return earlyHelpAssessmentOf(referral, new Date());
  }
}

function earlyHelpAssessmentOf(referral: Referral, now: Date): EarlyHelpAssessment | null {
  if (referral.about !== ReferralAbout.CHILD) return null;
  const dueAt = referral.earlyHelpAssessmentDueAt;
  const suppliedAt = referral.earlyHelpAssessmentSuppliedAt;
  return {
    reference: referral.earlyHelpAssessmentReference,
    summary: referral.earlyHelpAssessmentSummary,
    suppliedAt,
    dueAt,
    overdue: dueAt !== null && (suppliedAt ? suppliedAt > dueAt : now > dueAt),
  };
}

function familyInformedOf(referral: Referral): FamilyInformed {
  return {
    told: referral.familyTold,
    toldBy: referral.familyToldBy,
    toldAt: referral.familyToldAt,
    notToldReason: referral.familyNotToldReason,
    notToldDecidedBy: referral.familyNotToldDecidedBy,
    recordedBy: referral.familyInformedRecordedBy,
    recordedAt: referral.familyInformedRecordedAt,
    needsAttention: referral.familyTold !== true && !referral.familyNotToldReason,
  };
}

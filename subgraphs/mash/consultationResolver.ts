import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Case } from './entities/case';
import { Consultation, ConsultationInput } from './entities/consultation';
import { badInput, findCase, MashContext, requireManager } from './resolver';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A period of consultations a manager reads at once: a year and a day. */
const MAX_PERIOD_MS = 366 * 86_400_000;

/**
 * The professional consultation service: a professional asks the MASH for advice without making a
 * referral. The hub records who asked (role and agency), what they chose to say and the advice,
 * and, when it came to that, the referral it became.
 */
@Resolver(() => Consultation)
export class ConsultationResolver {
  @Mutation(() => Consultation, {
    nullable: true,
    description:
      'Record a consultation: a professional asked for advice without making a referral (MASH manager).',
  })
  async recordConsultation(
    @Arg('consultation', () => ConsultationInput) input: ConsultationInput,
    @Ctx() ctx: MashContext,
  ): Promise<Consultation> {
    const manager = requireManager(ctx);
    const now = new Date();
    const askedAt = input.askedAt ?? now;
    for (const field of ['askedByRole', 'askedByAgency'] as const)
      if (!input[field].trim()) throw badInput(`Give ${field}.`, `consultation.${field}`);
    if (input.question.trim().length < 10)
      throw badInput('Say what they asked about (10 characters or more).', 'consultation.question');
    if (input.advice.trim().length < 10)
      throw badInput('Record the advice given (10 characters or more).', 'consultation.advice');
    if (askedAt > now) throw badInput('askedAt is in the future.', 'consultation.askedAt');
    return ctx.dataSource.getRepository(Consultation).save({
      askedAt,
      askedByRole: input.askedByRole.trim(),
      askedByAgency: input.askedByAgency.trim(),
      question: input.question.trim(),
      advice: input.advice.trim(),
      advisedBy: manager,
      caseId: null,
    });
  }

  @Mutation(() => Consultation, {
    nullable: true,
    description: 'The consultation became a referral: link it to the case (MASH manager).',
  })
  async linkConsultationToReferral(
    @Arg('consultationId', () => ID) consultationId: string,
    @Arg('caseReference') caseReference: string,
    @Ctx() ctx: MashContext,
  ): Promise<Consultation> {
    requireManager(ctx);
    const repository = ctx.dataSource.getRepository(Consultation);
    const consultation = UUID.test(consultationId)
      ? await repository.findOneBy({ id: consultationId })
      : null;
    if (!consultation)
      throw badInput(`There is no consultation ${consultationId}.`, 'consultationId');
    consultation.caseId = (await findCase(ctx, caseReference)).id;
    return repository.save(consultation);
  }

  @Query(() => [Consultation], {
    nullable: true,
    description: 'Consultations asked for in [from, to), oldest first (MASH manager).',
  })
  async consultations(
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() ctx: MashContext,
  ): Promise<Consultation[]> {
    requireManager(ctx);
    if (!(from < to)) throw badInput('from must be before to.', 'from');
    if (to.getTime() - from.getTime() > MAX_PERIOD_MS)
      throw badInput('Ask for a year at most.', 'to');
    return ctx.dataSource
      .getRepository(Consultation)
      .createQueryBuilder('c')
      .where('c.askedAt >= :from AND c.askedAt < :to', { from, to })
      .orderBy('c.askedAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The case reference of the referral it became; null while it has not.',
  })
  async becameReferral(
    @Root() consultation: Consultation,
    @Ctx() ctx: MashContext,
  ): Promise<string | null> {
    if (!consultation.caseId) return null;
    const found = await ctx.dataSource.getRepository(Case).findOneBy({ id: consultation.caseId });
    return found?.reference ?? null;
  }
}

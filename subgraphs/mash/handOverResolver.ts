import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Role } from '../../policies/roles';
import { childIdentityKey } from '../../workflow/measures';
import { Case } from './entities/case';
import { Decision } from './entities/decision';
import { EarlierCaseMatch, EarlierMashCase } from './entities/earlierMashCase';
import { Subject } from './entities/subject';
import { MashContext, requireRole } from './resolver';

/**
 * After the decision: a new referral for a known person shows the manager the MASH's earlier
 * cases of that person (headers and outcomes only), recognised by the identity the hub counts
 * repeat referrals by (`childIdentityKey`).
 */
@Resolver(() => Subject)
export class HandOverResolver {
  @FieldResolver(() => [EarlierMashCase], {
    // Withheld from anyone but the manager: null at its own path, not the whole subject.
    nullable: true,
    description:
      "The MASH's earlier cases of this person, newest first (MASH manager): matched by NHS number, or, when neither record has one, by exact name and date of birth. A sibling or twin has another name or NHS number and is not matched.",
  })
  async earlierMashCases(
    @Root() subject: Subject,
    @Ctx() ctx: MashContext,
  ): Promise<EarlierMashCase[]> {
    requireRole(ctx, Role.MASH_MANAGER);
    const key = childIdentityKey(subject);
    if (!key) return [];
    const current = await ctx.dataSource
      .getRepository(Case)
      .findOneByOrFail({ id: subject.caseId });
    const query = ctx.dataSource
      .getRepository(Subject)
      .createQueryBuilder('s')
      .innerJoin(Case, 'c', 'c.id = s.caseId')
      .leftJoin(Decision, 'd', 'd.caseId = c.id')
      .select('c.reference', 'reference')
      .addSelect('c.status', 'status')
      .addSelect('c.openedAt', 'openedAt')
      .addSelect('d.decidedAt', 'decidedAt')
      .addSelect('d.outcome', 'outcome')
      .addSelect('d.receivingService', 'receivingService')
      .where('c.id <> :caseId AND c.openedAt < :openedAt', {
        caseId: subject.caseId,
        openedAt: current.openedAt,
      });
    const matchedBy = subject.nhsNumber
      ? EarlierCaseMatch.NHS_NUMBER
      : EarlierCaseMatch.NAME_AND_DATE_OF_BIRTH;
    if (subject.nhsNumber) {
      query.andWhere('s.nhsNumber = :nhsNumber', {
        nhsNumber: subject.nhsNumber.replace(/\s/g, ''),
      });
    } else {
      // As childIdentityKey: a record with an NHS number is keyed by it, so only those without.
      query.andWhere(
        's.nhsNumber IS NULL AND lower(trim(s.givenName)) = :given AND lower(trim(s.familyName)) = :family AND s.dateOfBirth = :dateOfBirth',
        {
          given: subject.givenName.trim().toLowerCase(),
          family: subject.familyName.trim().toLowerCase(),
          dateOfBirth: subject.dateOfBirth,
        },
      );
    }
    const rows = await query
      // A person named twice on one case (e.g. as child and sibling by mistake) lists it once.
      .distinct(true)
      .orderBy('c.openedAt', 'DESC')
      .getRawMany<Omit<EarlierMashCase, 'matchedBy'>>();
    return rows.map((row) => ({
      ...row,
      openedAt: new Date(row.openedAt),
      decidedAt: row.decidedAt ? new Date(row.decidedAt) : null,
      matchedBy,
    }));
  }
}

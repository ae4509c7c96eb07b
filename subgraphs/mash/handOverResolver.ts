import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Role } from '../../policies/roles';
import { EarlierMashCase } from './entities/earlierMashCase';
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
  earlierMashCases(@Root() subject: Subject, @Ctx() ctx: MashContext): Promise<EarlierMashCase[]> {
    requireRole(ctx, Role.MASH_MANAGER);
    return ctx.earlierCasesOf.load(subject);
  }
}

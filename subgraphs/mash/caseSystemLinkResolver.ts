import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import { AGENCIES } from '../agencies';
import { Case } from './entities/case';
import { badInput, findCase, MashContext, requireManager } from './resolver';
import { conflict } from './workflowResolver';

/** A case's link to a record in one agency's case system. */
@ObjectType({ description: "A case linked to its record in one agency's case system." })
export class CaseSystemLink {
  @Field({ description: "The hub's reference." })
  caseReference: string;

  @Field({ description: 'The agency whose case system holds the record (e.g. social-care).' })
  system: string;

  @Field({ description: "The case system's own reference for the record." })
  reference: string;
}

/**
 * A case system's own reference: letters and digits first, then letters, digits, - _ / . (up to 64),
 * and never the hub's own form (MASH-…), so a case is never declared ambiguously by either.
 */
const CASE_SYSTEM_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_./-]{1,63}$/;

/**
 * The manager links a case to its record in one agency's case system: from then that agency's case
 * system (a service account, purpose CASE_HISTORY) may declare the case by its own reference, and
 * after the decision, if that agency runs the receiving service, keep pulling it (_Hand-over_). A
 * link is made once: a reference already naming another case, or a case already linked elsewhere,
 * is a conflict, since a silent re-link would move who may read the case.
 */
@Resolver()
export class CaseSystemLinkResolver {
  @Mutation(() => CaseSystemLink, {
    nullable: true,
    description:
      "Link the declared case to its record in one agency's case system, by that system's own reference (MASH manager).",
  })
  async linkCaseToCaseSystem(
    @Arg('caseReference') caseReference: string,
    @Arg('system', { description: 'The agency whose case system holds the record.' })
    system: string,
    // Not `reference`: the policies read that argument as the case the request names.
    @Arg('systemReference', { description: "The case system's own reference for the record." })
    systemReference: string,
    @Ctx() ctx: MashContext,
  ): Promise<CaseSystemLink> {
    requireManager(ctx);
    if (!AGENCIES.some((agency) => agency.name === system))
      throw badInput(
        `No agency of the hub is called "${system}": one of ${AGENCIES.map((a) => a.name).join(', ')}.`,
        'system',
      );
    const own = systemReference.trim();
    if (!CASE_SYSTEM_REFERENCE.test(own) || /^MASH-/i.test(own))
      throw badInput(
        "The case system's own reference: 2 to 64 letters, digits, - _ / or ., not the hub's MASH-… form.",
        'systemReference',
      );
    const found = await findCase(ctx, caseReference);
    const cases = ctx.dataSource.getRepository(Case);
    const holder = await cases.findOneBy({ externalReference: own });
    if (holder && holder.id !== found.id)
      throw conflict(`${own} already names another case of the hub.`);
    if (found.externalReference !== null) {
      if (found.externalReference === own && found.externalSystem === system)
        return { caseReference: found.reference, system, reference: own };
      throw conflict(
        `${found.reference} is already linked to a record in ${found.externalSystem}.`,
      );
    }
    await cases.update({ id: found.id }, { externalReference: own, externalSystem: system });
    return { caseReference: found.reference, system, reference: own };
  }
}

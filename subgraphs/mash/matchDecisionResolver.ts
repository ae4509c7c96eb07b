import { GraphQLError } from 'graphql';
import { DateTime } from 'luxon';
import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { isValidNhsNumber } from '../../identity/nhsNumber';
import {
  MATCH_DECISION_POLICY,
  matchDecisionDenial,
  mayDecideMatch,
} from '../../policies/matchDecision';
import { Role } from '../../policies/roles';
import { denialError } from '../../schema/denialError';
import { caseOf } from '../../schema/forwardedAccess';
import { MatchDecisionKind, SubjectMatchDecision } from '../../schema/subject';
import { HUB_AGENCIES } from './data';
import { Case, CaseStatus } from './entities/case';
import { DemographicCorrection, SubjectCorrectionInput } from './entities/demographicCorrection';
import { IdentityMatchDecision } from './entities/identityMatchDecision';
import { Subject } from './entities/subject';
import { badInput, findCase, forbidden, MashContext, requireRole } from './resolver';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A person confirms or rejects a possible match of a case's subject to an agency record, and the
 * MASH corrects a subject's demographics after intake. The agencies learn both at their next check:
 * they read the subject's demographics and its match decisions from the hub every time (`@requires`).
 */
@Resolver(() => Subject)
export class MatchDecisionResolver {
  @Mutation(() => IdentityMatchDecision, {
    nullable: true,
    description:
      "Confirm that an agency's record is this subject (the agency's own researcher, or the MASH manager): its records are then shared as a certain match for this case.",
  })
  confirmIdentityMatch(
    @Arg('caseReference') caseReference: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Arg('agency', { description: 'The agency whose record it is, e.g. police.' }) agency: string,
    @Arg('recordReference', () => ID, { description: "The check's match.recordReference." })
    recordReference: string,
    @Arg('reason', { description: 'How the match was verified.' }) reason: string,
    @Ctx() ctx: MashContext,
  ): Promise<IdentityMatchDecision> {
    return decide(ctx, MatchDecisionKind.CONFIRMED, {
      caseReference,
      subjectId,
      agency,
      recordReference,
      reason,
    });
  }

  @Mutation(() => IdentityMatchDecision, {
    nullable: true,
    description:
      "Reject a possible match (the agency's own researcher, or the MASH manager): the record is never proposed again for this subject in this case.",
  })
  rejectIdentityMatch(
    @Arg('caseReference') caseReference: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Arg('agency', { description: 'The agency whose record it is, e.g. police.' }) agency: string,
    @Arg('recordReference', () => ID, { description: "The check's match.recordReference." })
    recordReference: string,
    @Arg('reason', { description: 'Why the record is not this subject.' }) reason: string,
    @Ctx() ctx: MashContext,
  ): Promise<IdentityMatchDecision> {
    return decide(ctx, MatchDecisionKind.REJECTED, {
      caseReference,
      subjectId,
      agency,
      recordReference,
      reason,
    });
  }

  @Mutation(() => Subject, {
    nullable: true,
    description:
      "Correct a subject's demographics after intake (MASH manager): add a date of birth or NHS number, correct a name. Every agency matches on the corrected details at its next check.",
  })
  async correctSubjectDemographics(
    @Arg('caseReference') caseReference: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Arg('correction', () => SubjectCorrectionInput) correction: SubjectCorrectionInput,
    @Arg('reason', { description: 'Where the corrected details come from.' }) reason: string,
    @Ctx() ctx: MashContext,
  ): Promise<Subject> {
    const caller = requireRole(ctx, ...MATCH_DECISION_POLICY.correctors);
    if (reason.trim().length < 10)
      throw badInput(
        'Say where the corrected details come from (10 characters or more).',
        'reason',
      );
    const changes = correctionProblems(correction);
    const subject = await subjectOfCase(ctx, caseReference, subjectId);
    const fields = Object.entries(changes).filter(
      ([field, value]) => subject[field as keyof Subject] !== value,
    );
    if (fields.length === 0) throw badInput('The correction changes nothing.', 'correction');
    Object.assign(subject, Object.fromEntries(fields));
    return ctx.dataSource.transaction(async (manager) => {
      await manager.update(Subject, { id: subject.id }, Object.fromEntries(fields));
      await manager.insert(DemographicCorrection, {
        subjectId: subject.id,
        fields: fields.map(([field]) => field).sort(),
        reason: reason.trim(),
        correctedBy: caller.userId,
        correctedAt: new Date(),
      });
      ctx.subjectById.clear(subject.id);
      return subject;
    });
  }

  // Hidden from clients: only the planner asks for it, for an agency's @requires.
  @Directive('@inaccessible')
  @FieldResolver(() => [SubjectMatchDecision], {
    description:
      "For the agencies' matching only, never offered to clients: the decisions people made on this subject's possible matches, in its case.",
  })
  matchDecisions(
    @Root() subject: Subject,
    @Ctx() ctx: MashContext,
  ): Promise<SubjectMatchDecision[]> {
    return ctx.matchDecisionsBySubject.load(subject);
  }
}

interface DecisionInput {
  caseReference: string;
  subjectId: string;
  agency: string;
  recordReference: string;
  reason: string;
}

async function decide(
  ctx: MashContext,
  decision: MatchDecisionKind,
  input: DecisionInput,
): Promise<IdentityMatchDecision> {
  // The gateway decided the request; the hub checks again (defence in depth).
  const caller = requireRole(ctx, ...(Object.keys(MATCH_DECISION_POLICY.deciders) as Role[]));
  if (!HUB_AGENCIES.includes(input.agency))
    throw badInput(
      `"${input.agency}" is not an agency: one of ${HUB_AGENCIES.join(', ')}.`,
      'agency',
    );
  if (!mayDecideMatch(caller, input.agency))
    throw denialError(matchDecisionDenial(caller, input.agency));
  // Every agency's record references are UUIDs; anything else names no record.
  if (!UUID.test(input.recordReference))
    throw notFound(`${input.agency} has no record ${input.recordReference}.`, 'recordReference');
  if (input.reason.trim().length < 10)
    throw badInput(
      'Say how the match was verified or why it is wrong (10 characters or more).',
      'reason',
    );
  const subject = await subjectOfCase(ctx, input.caseReference, input.subjectId);
  const repository = ctx.dataSource.getRepository(IdentityMatchDecision);
  const key = {
    caseId: subject.caseId,
    subjectId: subject.id,
    agency: input.agency,
    recordReference: input.recordReference.toLowerCase(),
  };
  // Remembered once per (case, subject, agency, record): a later decision replaces the earlier.
  await repository.upsert(
    {
      ...key,
      decision,
      reason: input.reason.trim(),
      decidedBy: caller.userId,
      decidedAt: new Date(),
    },
    ['caseId', 'subjectId', 'agency', 'recordReference'],
  );
  return repository.findOneByOrFail(key);
}

/**
 * The subject, when it is one of the named case's household and the case is the one the request
 * was allowed for and still open in the MASH.
 */
async function subjectOfCase(
  ctx: MashContext,
  caseReference: string,
  subjectId: string,
): Promise<Subject> {
  const declared = caseOf(ctx.forwarded);
  const found: Case = await findCase(ctx, caseReference);
  if (!declared || declared.id !== found.id)
    throw forbidden(`The request was not made for case ${caseReference}.`);
  if (found.status !== CaseStatus.OPEN)
    throw new GraphQLError(`Case ${caseReference} is no longer open in the MASH.`, {
      extensions: { code: 'CONFLICT' },
    });
  const subject = UUID.test(subjectId)
    ? await ctx.dataSource.getRepository(Subject).findOneBy({ id: subjectId, caseId: found.id })
    : null;
  if (!subject) throw notFound(`Case ${caseReference} names no subject ${subjectId}.`, 'subjectId');
  return subject;
}

/** The corrected fields, each valid, or a BAD_USER_INPUT naming the first that is not. */
function correctionProblems(correction: SubjectCorrectionInput): Partial<Subject> {
  const changes: Partial<Subject> = {};
  for (const field of ['givenName', 'familyName'] as const) {
    const value = correction[field];
    if (value === undefined) continue;
    if (value === null || !value.trim()) throw badInput(`A ${field} cannot be empty.`, field);
    changes[field] = value.trim();
  }
  if (correction.dateOfBirth !== undefined) {
    const dob = correction.dateOfBirth;
    if (dob !== null) {
      const born = DateTime.fromISO(dob, { zone: 'Europe/London' });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dob) || !born.isValid)
        throw badInput(`"${dob}" is not a date (YYYY-MM-DD).`, 'dateOfBirth');
      if (born > DateTime.now())
        throw badInput('The date of birth is in the future.', 'dateOfBirth');
    }
    changes.dateOfBirth = dob;
  }
  if (correction.sex !== undefined) changes.sex = correction.sex;
  if (correction.nhsNumber !== undefined) {
    const digits = correction.nhsNumber?.replace(/\s/g, '') || null;
    if (digits && !isValidNhsNumber(digits))
      throw badInput(
        'This is not a valid NHS number (its check digit does not match).',
        'nhsNumber',
      );
    changes.nhsNumber = digits;
  }
  return changes;
}

function notFound(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND', argument } });
}

import {
  Directive,
  Field,
  Float,
  Int,
  InterfaceType,
  ObjectType,
  registerEnumType,
} from 'type-graphql';

/**
 * The outer shape of every agency check (the federation contract). An agency result is always one
 * of these four: a silently missing agency is a safeguarding hazard, so "nothing came back" is never
 * an allowed answer.
 */
export enum CheckStatus {
  FOUND = 'FOUND',
  NONE_FOUND = 'NONE_FOUND',
  WITHHELD = 'WITHHELD',
  UNAVAILABLE = 'UNAVAILABLE',
}
registerEnumType(CheckStatus, {
  name: 'CheckStatus',
  description:
    'Whether the agency found records, found none, withheld them, or could not be asked.',
});

/** How a subject was matched to an agency's own person record. */
export enum MatchBasis {
  NHS_NUMBER = 'NHS_NUMBER',
  NAME_DOB_POSTCODE = 'NAME_DOB_POSTCODE',
  NAME_DOB = 'NAME_DOB',
  APPROXIMATE_DEMOGRAPHICS = 'APPROXIMATE_DEMOGRAPHICS',
  CONFIRMED_BY_PERSON = 'CONFIRMED_BY_PERSON',
}
registerEnumType(MatchBasis, {
  name: 'MatchBasis',
  description:
    'NHS_NUMBER: same NHS number (whether the rest agrees is in the confidence and the differences). ' +
    'NAME_DOB_POSTCODE: names, date of birth and postcode all equal. NAME_DOB: names and date of ' +
    'birth equal, address differs. APPROXIMATE_DEMOGRAPHICS: similar but not equal (spelling, ' +
    'nickname, a date-of-birth typo, an NHS-number typo…). ' +
    'CONFIRMED_BY_PERSON: a MASH researcher or manager confirmed the possible match for this case (confirmIdentityMatch).',
});

// Shared by every agency subgraph, so Federation 2 needs it marked shareable.
@Directive('@shareable')
@ObjectType({ description: 'How sure the agency is that its record is this subject.' })
export class IdentityMatch {
  @Field(() => Float, {
    description:
      'The calibrated probability, 0 to 1, that the record is the subject (0.9: right about 9 times in 10).',
  })
  confidence: number;

  @Field(() => MatchBasis)
  basis: MatchBasis;

  @Field({ description: 'True when a person must confirm the match before relying on it.' })
  needsVerification: boolean;

  @Field(() => [String], { description: 'Where the agency record differs from the referral.' })
  differences: string[];

  @Field({
    description: "The agency's own reference for the record it matched, to cite or verify.",
  })
  recordReference: string;

  @Field(() => Int, {
    description: 'Other agency records that matched almost as well (never merged).',
  })
  otherCandidates: number;
}

@InterfaceType({ description: 'What every agency check answers, whatever the agency.' })
export abstract class AgencyCheck {
  @Field({ description: 'The agency that holds these records (the custodian).' })
  agency: string;

  @Field(() => CheckStatus)
  status: CheckStatus;

  @Field(() => IdentityMatch, { nullable: true, description: 'Present when status is FOUND.' })
  match?: IdentityMatch | null;

  @Field(() => Date, { nullable: true })
  checkedAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the check is UNAVAILABLE or WITHHELD (the error or the rule), or why a FOUND possible match shares no records until it is verified.',
  })
  reason?: string | null;
}

/** The shared fields of a check as resolvers build them: all an unverified match shares. */
export interface AgencyCheckIdentity {
  agency: string;
  status: CheckStatus;
  match: IdentityMatch | null;
  checkedAt: Date | null;
  reason: string | null;
}

/** A check as resolvers build it; `R` is the agency's own record lists. */
export type AgencyCheckResult<R> = AgencyCheckIdentity & R;

/**
 * On a field the policies can withhold while its record is shared (detail, special category): such
 * a field is nullable, so withholding it nulls only itself, never its record or the whole list.
 */
export const DETAIL_MAY_BE_WITHHELD =
  'Null, with an error at its path, when the policies withhold it.';

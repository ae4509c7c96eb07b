/**
 * The threshold of need a MASH manager sets at triage, on a published continuum of need. This is
 * configuration; the default is the London Safeguarding Children Partnership's continuum (levels
 * 1–4), which most London MASHs use.
 */
export enum ThresholdOfNeed {
  /** Level 1: needs met by universal services. */
  UNIVERSAL = 'UNIVERSAL',
  /** Level 2: additional needs, met by early help. */
  EARLY_HELP = 'EARLY_HELP',
  /** Level 3: complex needs, children's social care (child in need, section 17). */
  COMPLEX = 'COMPLEX',
  /** Level 4: acute needs, significant harm: child protection (section 47). */
  CHILD_PROTECTION = 'CHILD_PROTECTION',
}

export const CONTINUUM_OF_NEED = {
  name: 'London Continuum of Need (London Safeguarding Children Partnership)',
  levels: [
    { level: 1, threshold: ThresholdOfNeed.UNIVERSAL, label: 'No additional needs' },
    { level: 2, threshold: ThresholdOfNeed.EARLY_HELP, label: 'Early help (additional needs)' },
    { level: 3, threshold: ThresholdOfNeed.COMPLEX, label: 'Complex needs (child in need)' },
    {
      level: 4,
      threshold: ThresholdOfNeed.CHILD_PROTECTION,
      label: 'Acute needs (child protection)',
    },
  ],
} as const;

/** What the MASH manager decides for a referral, after the agency checks. */
export enum MashOutcome {
  INFORMATION_AND_ADVICE = 'INFORMATION_AND_ADVICE',
  EARLY_HELP_SIGNPOSTING = 'EARLY_HELP_SIGNPOSTING',
  EARLY_HELP_ASSESSMENT = 'EARLY_HELP_ASSESSMENT',
  CHILD_AND_FAMILY_ASSESSMENT = 'CHILD_AND_FAMILY_ASSESSMENT',
  /** A strategy discussion under section 47 of the Children Act 1989. */
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
  /** An enquiry the local authority must make under section 42 of the Care Act 2014. */
  SECTION_42_ENQUIRY = 'SECTION_42_ENQUIRY',
  /** An enquiry where the section 42 duty is not met but the council chooses to make one. */
  NON_STATUTORY_ENQUIRY = 'NON_STATUTORY_ENQUIRY',
}

/** Whom a referral is about: a child (children's safeguarding) or an adult at risk (the Care Act). */
export enum ReferralAbout {
  CHILD = 'CHILD',
  /** An adult with care and support needs at risk of abuse or neglect; no child in the referral. */
  ADULT_AT_RISK = 'ADULT_AT_RISK',
}

/**
 * The outcomes a manager may decide for each kind of referral: adult safeguarding's (Care Act 2014,
 * section 42) for an adult at risk, children's for a child. Information and advice and no further
 * action are both.
 */
export const OUTCOMES_BY_REFERRAL: Record<ReferralAbout, MashOutcome[]> = {
  [ReferralAbout.CHILD]: [
    MashOutcome.INFORMATION_AND_ADVICE,
    MashOutcome.EARLY_HELP_SIGNPOSTING,
    MashOutcome.EARLY_HELP_ASSESSMENT,
    MashOutcome.CHILD_AND_FAMILY_ASSESSMENT,
    MashOutcome.STRATEGY_DISCUSSION,
    MashOutcome.NO_FURTHER_ACTION,
  ],
  [ReferralAbout.ADULT_AT_RISK]: [
    MashOutcome.SECTION_42_ENQUIRY,
    MashOutcome.NON_STATUTORY_ENQUIRY,
    MashOutcome.INFORMATION_AND_ADVICE,
    MashOutcome.NO_FURTHER_ACTION,
  ],
};

/** The outcomes that fit each threshold: a decision outside them needs its rationale to say why. */
export const OUTCOMES_BY_THRESHOLD: Record<ThresholdOfNeed, MashOutcome[]> = {
  [ThresholdOfNeed.UNIVERSAL]: [MashOutcome.INFORMATION_AND_ADVICE, MashOutcome.NO_FURTHER_ACTION],
  [ThresholdOfNeed.EARLY_HELP]: [
    MashOutcome.EARLY_HELP_SIGNPOSTING,
    MashOutcome.EARLY_HELP_ASSESSMENT,
    MashOutcome.INFORMATION_AND_ADVICE,
  ],
  [ThresholdOfNeed.COMPLEX]: [MashOutcome.CHILD_AND_FAMILY_ASSESSMENT],
  [ThresholdOfNeed.CHILD_PROTECTION]: [
    MashOutcome.STRATEGY_DISCUSSION,
    MashOutcome.CHILD_AND_FAMILY_ASSESSMENT,
  ],
};

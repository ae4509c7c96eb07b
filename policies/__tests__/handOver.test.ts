import { MashOutcome } from '../../workflow/continuumOfNeed';
import { ReceivingService, receivingServiceFor, RECEIVING_SERVICES_BY_OUTCOME } from '../handOver';
import { hasLegitimateRelationship } from '../rules';
import { Purpose, Role } from '../roles';
import { accessFor, decide, Who } from './policyFixtures';

/** The hand-over, as a table: who still reaches a decided case, and which service receives it. */
const CSC = ReceivingService.CHILDRENS_SOCIAL_CARE;
const decided = (receivingService: ReceivingService | null) => ({
  status: 'DECIDED' as const,
  decision: MashOutcome.CHILD_AND_FAMILY_ASSESSMENT,
  receivingService,
});
const caseSystem = (agency: string, declared = 'CSC-000001'): Who => ({
  role: Role.CASE_SYSTEM,
  agency,
  team: null,
  purpose: Purpose.CASE_HISTORY,
  declared,
});

describe('a decided case: open to the receiving service’s case system alone', () => {
  it.each<[string, Who, ReturnType<typeof decided>, true | string]>([
    ['its case system, by its own reference', caseSystem('social-care'), decided(CSC), true],
    ['another agency’s case system', caseSystem('police'), decided(CSC), 'CASE_CLOSED'],
    [
      'the linked case system, handed to early help',
      caseSystem('social-care'),
      decided(ReceivingService.EARLY_HELP),
      'CASE_CLOSED',
    ],
    ['a case handed to no one', caseSystem('social-care'), decided(null), 'CASE_CLOSED'],
    [
      'its case system, naming the hub’s reference',
      caseSystem('social-care', 'MASH-2026-000001'),
      decided(CSC),
      'NOT_ASSIGNED',
    ],
    [
      'its case system, for a case linked to another system',
      caseSystem('social-care'),
      { ...decided(CSC), externalSystem: 'early-help' } as ReturnType<typeof decided>,
      'NOT_ASSIGNED',
    ],
    [
      'a researcher of the receiving agency on the case’s team',
      { role: Role.AGENCY_RESEARCHER, agency: 'social-care' },
      decided(CSC),
      'CASE_CLOSED',
    ],
    ['the manager of the case’s team', { role: Role.MASH_MANAGER }, decided(CSC), 'CASE_CLOSED'],
    [
      'its case system, once the case is closed',
      caseSystem('social-care'),
      { ...decided(CSC), status: 'CLOSED' } as unknown as ReturnType<typeof decided>,
      'CASE_CLOSED',
    ],
  ])('%s', async (_name, who, facts, expected) => {
    const decision = await decide(hasLegitimateRelationship, accessFor({ ...who, case: facts }));
    expect(decision === true ? true : decision.code).toBe(expected);
  });

  it('the refusal names the service that holds the case', async () => {
    const decision = await decide(
      hasLegitimateRelationship,
      accessFor({ ...caseSystem('social-care'), case: decided(ReceivingService.EARLY_HELP) }),
    );
    expect(decision !== true && decision.release).toMatch(
      /case system of early-help.*CASE_HISTORY/,
    );
  });
});

describe('the receiving service of each outcome', () => {
  it.each<[MashOutcome, ReceivingService | null | undefined, ReceivingService | null | 'refused']>([
    [MashOutcome.STRATEGY_DISCUSSION, undefined, CSC],
    [MashOutcome.CHILD_AND_FAMILY_ASSESSMENT, CSC, CSC],
    [MashOutcome.CHILD_AND_FAMILY_ASSESSMENT, ReceivingService.EARLY_HELP, 'refused'],
    [MashOutcome.EARLY_HELP_ASSESSMENT, undefined, ReceivingService.EARLY_HELP],
    [MashOutcome.EARLY_HELP_SIGNPOSTING, undefined, null],
    [MashOutcome.EARLY_HELP_SIGNPOSTING, ReceivingService.EARLY_HELP, ReceivingService.EARLY_HELP],
    [MashOutcome.SECTION_42_ENQUIRY, undefined, ReceivingService.ADULT_SOCIAL_CARE],
    [MashOutcome.SECTION_42_ENQUIRY, null, 'refused'],
    [MashOutcome.NO_FURTHER_ACTION, undefined, null],
    [MashOutcome.NO_FURTHER_ACTION, CSC, 'refused'],
    [MashOutcome.INFORMATION_AND_ADVICE, ReceivingService.ADULT_SOCIAL_CARE, 'refused'],
  ])('%s with %s: %s', (outcome, named, expected) => {
    const result = receivingServiceFor(outcome, named);
    expect('problem' in result ? 'refused' : result.service).toBe(expected);
  });

  it('names a default for every outcome', () => {
    for (const outcome of Object.values(MashOutcome))
      expect(RECEIVING_SERVICES_BY_OUTCOME[outcome].length).toBeGreaterThan(0);
  });
});

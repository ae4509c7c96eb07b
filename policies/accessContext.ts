import { MashOutcome, ThresholdOfNeed } from '../workflow/continuumOfNeed';
import { ConsentState, RecordedGround, SharingBasis, sharingBasis } from './consent';
import type { ReceivingService } from './handOver';
import { Purpose, Role } from './roles';

/** Who is asking, from their verified token. */
export interface Caller {
  userId: string;
  role: Role;
  /** The agency that employs them (researchers) or owns the system (case systems). */
  agency: string | null;
  /** The MASH team they work in; cases are assigned to teams. */
  team: string | null;
}

/** What the hub records about the case a request is for: the facts the rules depend on. */
export interface CaseFacts {
  id: string;
  reference: string;
  /** The case system's own reference for this case, by which a case system must name it. */
  externalReference: string | null;
  /** Whose system that reference belongs to (the agency of the case system, e.g. social-care). */
  externalSystem: string | null;
  status: 'OPEN' | 'DECIDED' | 'CLOSED';
  teams: string[];
  consent: ConsentState;
  grounds: RecordedGround[];
  /** The threshold of need set at triage; null until a manager triages. */
  threshold: ThresholdOfNeed | null;
  /** The outcome the manager decided; null until decided. */
  decision: MashOutcome | null;
  /**
   * The service the decision handed the case to; null (or absent, as in facts built before
   * hand-overs) until decided, or when none receives it.
   */
  receivingService?: ReceivingService | null;
}

/** Everything a policy decision may depend on, for one request. */
export interface AccessContext {
  caller: Caller | null;
  purpose: Purpose | null;
  /** The case the request says it is for (the `x-mash-case` header), as given. */
  declaredCase: string | null;
  /** That case as the hub records it; null when none was declared or it does not exist. */
  case: CaseFacts | null;
}

export function basisOf(access: AccessContext): SharingBasis {
  if (!access.case || !access.purpose) return 'NONE';
  return sharingBasis(access.case.consent, access.case.grounds, access.purpose);
}

import {
  isAtProtectedAddress,
  mayLearnProtectedAddress,
  normaliseAddressLine,
  normalisePostcode,
  PROTECTED_ADDRESS_POLICY,
  protectedAddressDenial,
} from '../protectedAddress';
import { Role } from '../roles';

const REFUGE = {
  addressLines: new Set([normaliseAddressLine('5 Moss Lane, Skiles-on-Witting')!]),
  postcodes: new Set([normalisePostcode('NS9 4KN')!]),
};
const at = (addressLine: string | null, postcode: string | null, addressConfidential = false) =>
  isAtProtectedAddress({ addressLine, postcode, addressConfidential }, REFUGE);

describe('when a subject is at a protected address', () => {
  it.each([
    ['the person at risk, whatever is recorded', null, null, true, true],
    [
      'a co-resident: same line and postcode',
      '5 Moss Lane, Skiles-on-Witting',
      'NS9 4KN',
      false,
      true,
    ],
    ['the line written differently', '5  moss lane skiles on witting', null, false, true],
    [
      'the postcode written differently, another line',
      'Flat B, 5 Moss Lane',
      'ns94kn',
      false,
      true,
    ],
    [
      'the same line with a mistyped postcode',
      '5 Moss Lane, Skiles-on-Witting',
      'NS9 4KM',
      false,
      true,
    ],
    [
      'another address in the same district',
      '7 Moss Lane, Skiles-on-Witting',
      'NS9 4KP',
      false,
      false,
    ],
    ['nothing recorded', null, null, false, false],
    ['blank values', '  ', ' ', false, false],
  ])('%s', (_, line, postcode, confidential, expected) => {
    expect(at(line, postcode, confidential)).toBe(expected);
  });
});

describe('the normalisation both sides use', () => {
  it('ignores case, spaces and punctuation in postcodes, and has no value for a blank one', () => {
    expect(normalisePostcode(' ns9-4kn ')).toBe('NS94KN');
    expect(normalisePostcode('')).toBeNull();
    expect(normalisePostcode(null)).toBeNull();
  });
  it('ignores case, spacing and punctuation in address lines', () => {
    expect(normaliseAddressLine('5, Moss  Lane')).toBe('5 moss lane');
    expect(normaliseAddressLine(' , ')).toBeNull();
    expect(normaliseAddressLine(undefined)).toBeNull();
  });
});

describe('who may learn a protected address', () => {
  it.each([...Object.values(Role), null])('not %s', (role) => {
    expect(mayLearnProtectedAddress(role)).toBe(false);
  });
  it('names no role, and withholds the address line and the postcode', () => {
    expect(PROTECTED_ADDRESS_POLICY.rolesAllowed).toEqual([]);
    expect(PROTECTED_ADDRESS_POLICY.withheldFields).toEqual(['addressLine', 'postcode']);
  });
  it('says so with its code, rule and what would release it', () => {
    const denial = protectedAddressDenial();
    expect(denial).toMatchObject({
      code: 'PROTECTED_IDENTITY',
      rule: 'protected-address',
      release: PROTECTED_ADDRESS_POLICY.release,
    });
    expect(denial.message).not.toMatch(/[A-Z]{1,2}\d/); // no postcode in the words
  });
});

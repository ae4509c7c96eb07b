import { en_GB } from '@faker-js/faker';
import { COMMON_SURNAMES } from './names';
import { Random } from './random';

/**
 * Where families live: postcodes shared by neighbours at about the UK's density. ONS's postcode
 * directory has about 1.8 million live residential unit postcodes for about 28 million households,
 * so about 15 households per postcode; a sector (LS6 2) holds a few thousand households and a
 * district (LS6) four or five sectors.
 *
 * Family i only depends on (seed, i): families are dealt into superblocks of 320 (32 slots of 10
 * families, slot = i mod 32), and each superblock's slots are thrown at random into its 32 unit
 * postcodes, so some postcodes get one slot, some two or three, some none: 10 households per slot
 * give about 16 per postcode in use, with a realistic spread. The first 32 families are mostly in
 * different postcodes, so a small test population is not all one street, and from a few hundred
 * families on the density is the real one. Three superblocks make a sector, four sectors a district.
 */
export interface Home {
  addressLine: string;
  postcode: string;
  /** The unit postcode's number in the synthetic world (households with the same number share it). */
  unit: number;
}

const SLOTS = 32;
const FAMILIES_PER_SLOT = 10;
const SUPERBLOCK = SLOTS * FAMILIES_PER_SLOT;
const UNITS_PER_SECTOR = SLOTS * 3;
const SECTORS_PER_DISTRICT = 4;
const DISTRICTS_PER_AREA = 28;
// Areas in and around the synthetic authority, in the order they fill.
const LOCAL_AREAS: [string, string][] = [
  ['LS', 'Leeds'],
  ['BD', 'Bradford'],
  ['WF', 'Wakefield'],
  ['HD', 'Huddersfield'],
  ['HX', 'Halifax'],
  ['HG', 'Harrogate'],
  ['YO', 'York'],
  ['DN', 'Doncaster'],
];
// Where a family new to the area, or a long-distance mover, came from.
const DISTANT_AREAS: [string, string][] = [
  ['M', 'Manchester'],
  ['B', 'Birmingham'],
  ['L', 'Liverpool'],
  ['NE', 'Newcastle upon Tyne'],
  ['E', 'London'],
  ['CF', 'Cardiff'],
  ['G', 'Glasgow'],
  ['BS', 'Bristol'],
];
// The two letters ending a postcode never use C, I, K, M, O or V.
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const STREET_SUFFIXES = (en_GB.location?.street_suffix as string[] | undefined) ?? ['Road'];
// Enough distinct street names that every postcode in an area gets its own: faker's en_GB street
// names, then common surnames with a street suffix (Hartley Close).
const STREETS = [
  ...new Set([
    ...((en_GB.location?.street_name as string[] | undefined) ?? []),
    ...COMMON_SURNAMES.flatMap((name) => STREET_SUFFIXES.map((suffix) => `${name} ${suffix}`)),
  ]),
];
const UNITS_PER_AREA = UNITS_PER_SECTOR * SECTORS_PER_DISTRICT * DISTRICTS_PER_AREA;
const STREET_STEP = 7919; // prime, so unit → street is one-to-one within an area

/** The home of family `familyIndex`. */
export function homeOf(seed: number, familyIndex: number): Home {
  const superblock = Math.floor(familyIndex / SUPERBLOCK);
  const slot = familyIndex % SLOTS;
  const row = Math.floor((familyIndex % SUPERBLOCK) / SLOTS);
  const units = unitsOfSlots(seed, superblock);
  const unitInBlock = units[slot];
  // Slots thrown into the same postcode take successive runs of house numbers.
  let earlierSlotsHere = 0;
  for (let s = 0; s < slot; s++) if (units[s] === unitInBlock) earlierSlotsHere += 1;
  const unit = superblock * SLOTS + unitInBlock;
  const street = streetOf(seed, unit);
  const house = 1 + 2 * (earlierSlotsHere * FAMILIES_PER_SLOT + row) + (unit % 2);
  const { postcode, town } = postcodeOf(seed, unit, LOCAL_AREAS);
  return { addressLine: `${house} ${street}, ${town}`, postcode, unit };
}

// Families are made in order, so the last superblock's layout is nearly always the one asked for.
let lastLayout: { seed: number; superblock: number; units: Int8Array } | null = null;
function unitsOfSlots(seed: number, superblock: number): Int8Array {
  if (lastLayout?.seed !== seed || lastLayout.superblock !== superblock) {
    const random = new Random(seed, 'postcode-slots', superblock);
    const units = new Int8Array(SLOTS).map(() => random.int(0, SLOTS - 1));
    lastLayout = { seed, superblock, units };
  }
  return lastLayout.units;
}

/**
 * Where a family lived before moving: mostly nearby (most moves in England are within a few
 * miles, so the same district), some from elsewhere in the area, some from another city.
 */
export function previousHomeOf(home: Home, seed: number, random: Random, distant = false): Home {
  const roll = distant ? 1 : random.next();
  const sector = Math.floor(home.unit / UNITS_PER_SECTOR);
  let unit: number;
  let areas = LOCAL_AREAS;
  if (roll < 0.6) {
    unit = sector * UNITS_PER_SECTOR + random.int(0, UNITS_PER_SECTOR - 1);
    if (unit === home.unit) unit = sector * UNITS_PER_SECTOR + ((unit + 1) % UNITS_PER_SECTOR);
  } else if (roll < 0.85) {
    unit = random.int(0, UNITS_PER_SECTOR * SECTORS_PER_DISTRICT * DISTRICTS_PER_AREA - 1);
    if (unit === home.unit) unit += 1;
  } else {
    unit = random.int(0, UNITS_PER_SECTOR * SECTORS_PER_DISTRICT * DISTRICTS_PER_AREA * 4 - 1);
    areas = DISTANT_AREAS;
  }
  const { postcode, town } = postcodeOf(seed + (areas === DISTANT_AREAS ? 1 : 0), unit, areas);
  return {
    addressLine: `${random.int(1, 120)} ${streetOf(seed, unit + (areas === DISTANT_AREAS ? 1e7 : 0))}, ${town}`,
    postcode,
    unit,
  };
}

function postcodeOf(seed: number, unit: number, areas: [string, string][]) {
  const sector = Math.floor(unit / UNITS_PER_SECTOR);
  const district = Math.floor(sector / SECTORS_PER_DISTRICT);
  const [area, town] = areas[Math.floor(district / DISTRICTS_PER_AREA) % areas.length];
  const districtNumber = (district % DISTRICTS_PER_AREA) + 1;
  const sectorDigit = (sector % SECTORS_PER_DISTRICT) * 2 + (districtNumber % 2);
  // Distinct letter pairs within a sector: a step coprime to the 400 pairs, from a seeded start.
  const start = new Random(seed, 'sector', sector).int(0, 399);
  const pair = (start + (unit % UNITS_PER_SECTOR) * 7) % 400;
  const letters = UNIT_LETTERS[Math.floor(pair / 20)] + UNIT_LETTERS[pair % 20];
  return { postcode: `${area}${districtNumber} ${sectorDigit}${letters}`, town };
}

/** Each postcode in an area on its own street, so an address line names one home. */
const streetOffsets = new Map<number, number>();
function streetOf(seed: number, unit: number): string {
  let offset = streetOffsets.get(seed);
  if (offset === undefined)
    streetOffsets.set(seed, (offset = new Random(seed, 'streets').int(0, STREETS.length - 1)));
  return STREETS[((unit % UNITS_PER_AREA) * STREET_STEP + offset) % STREETS.length];
}

/** "LS6 2AB" → "LS6 2": the postcode sector (neighbours share it). */
export function postcodeSector(postcode: string): string {
  return postcode.slice(0, -2);
}

/** "LS6 2AB" → "LS6": the postcode district (outward code). */
export function postcodeDistrict(postcode: string): string {
  return postcode.split(' ')[0];
}

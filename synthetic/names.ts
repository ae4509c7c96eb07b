import { en } from '@faker-js/faker';
import { Random } from './random';
import { ZipfTable } from './zipf';

/**
 * Names with UK-like frequencies. No registry package carries a UK name-frequency table (checked:
 * npm has US and "English-speaking" lists only), so each list below is a **Zipf–Mandelbrot fit**
 * (zipf.ts) over a ranked list:
 * - British surnames: the rank order of the most common surnames in England and Wales (as ONS and
 *   the NHS patient register publish them), then faker's `en` surnames, then English place-name
 *   surnames composed from common elements (Ash+worth, Black+burn…) for the long tail; the law is
 *   fitted so Smith is 1.1% of the whole population (1.4% of the British-named majority).
 * - British given names: the rank order of ONS's most popular baby names (2020s for children,
 *   1980s for their parents' generation), then faker's `en` first names; the first name of each
 *   list gets 2% of its sex and generation (Oliver and Olivia are about 1.5–2% of births).
 * - Names of the UK's larger communities of other origin (South Asian, Arabic, Somali, West African,
 *   Chinese, Polish, Romanian, Irish), each with its own ranked lists, its usual transliterations
 *   (Muhammad/Mohammed/Mohamed…) and, where the community writes another script, that script.
 * Community shares follow the 2021 census of England and Wales (White British 74%, Asian 9%,
 * Black 4%, other White 6%…), rounded, with British-named mixed and Caribbean families counted as
 * British-named.
 */
export type NameOrigin =
  | 'BRITISH'
  | 'IRISH'
  | 'SOUTH_ASIAN_MUSLIM'
  | 'SIKH_HINDU'
  | 'ARABIC'
  | 'SOMALI'
  | 'WEST_AFRICAN'
  | 'CHINESE'
  | 'POLISH'
  | 'ROMANIAN';

export const ORIGIN_SHARES: Record<NameOrigin, number> = {
  BRITISH: 0.8,
  IRISH: 0.015,
  SOUTH_ASIAN_MUSLIM: 0.045,
  SIKH_HINDU: 0.03,
  ARABIC: 0.008,
  SOMALI: 0.006,
  WEST_AFRICAN: 0.022,
  CHINESE: 0.008,
  POLISH: 0.04,
  ROMANIAN: 0.026,
};

type Sex = 'FEMALE' | 'MALE';

const BRITISH_SURNAME_HEAD = `Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson
Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson
Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James
Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson Ellis Adams
Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt Campbell Matthews Owen Palmer Holmes
Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham
Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox
Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien
Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster
Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding
Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson
Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton
Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy
Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George
Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson
Hammond Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost
Lambert Stephens Blake Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter
Bibi Clayton Nash Greenwood Jennings Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler
Heath Norman Middleton Lawson Banks French Stanley Jarvis Gibbs Ferguson Hayward Carroll Farrell
Parkinson Norris Charlton Bentley Hilton Jefferson McKenzie Vaughan Pope Tomlinson Cartwright Hussey
Dale Fuller Glover Hodges Bolton Hobbs Waters Goddard Swift Hughes-Jones`.split(/\s+/);

const PLACE_FIRST = `Ash Black Brad Brook Cal Cart Chad Dun Farn Green Hart Hay Hol Kings Lang Mar
Mid Nor Pen Ray Red Rod Shel Stan Sut Thorn Wal War Wen Whit Wood Wor Ather Bram Crom Ather Fair Haw
Lock Stock Ather Bur Pid Sand Ship Staf Tad Wad`.split(/\s+/);
const PLACE_SECOND = `ley ton ford wick worth by ham field well wood dale more combe bury stead land
croft shaw hurst thwaite den burn`.split(/\s+/);

/** The long tail: plausible English place-name surnames that are each rare. */
const PLACE_SURNAMES = [
  ...new Set(PLACE_FIRST.flatMap((a) => PLACE_SECOND.map((b) => a + b))),
].sort();

const fakerSurnames = (en.person?.last_name as { generic?: string[] } | undefined)?.generic ?? [];
const fakerFirst = en.person?.first_name as { female?: string[]; male?: string[] } | undefined;

const BRITISH_SURNAMES = unique([...BRITISH_SURNAME_HEAD, ...fakerSurnames, ...PLACE_SURNAMES]);

const BRITISH_GIVEN: Record<'CHILD' | 'ADULT', Record<Sex, string[]>> = {
  CHILD: {
    MALE: `Oliver George Noah Arthur Harry Leo Jack Charlie Oscar Jacob Henry Thomas Freddie Alfie
Theo William Theodore Archie Joshua Alexander James Isaac Edward Lucas Tommy Finley Max Logan Ethan
Teddy Benjamin Arlo Joseph Sebastian Daniel Albie Reggie Hugo Louie Samuel Adam Rory Elijah Jaxon
Toby Ronnie Frankie Jude Riley Dylan Harrison Jenson Mason Hunter Carter Elliot Felix Zachary Ezra
Luca Stanley Jesse Nathan Liam Michael Ryan Aaron Ellis Caleb Albert Kai Tyler Louis Bobby Ollie
Frederick Matthew David Leon Jayden Aidan Christopher Nicholas Jonathan Anthony Stephen Richard
Robert John Dominic`.split(/\s+/),
    FEMALE: `Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace
Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda Maya
Sophie Alice Emilia Isabelle Ruby Luna Maisie Aria Penelope Mila Bonnie Eva Hallie Eliza Ada Violet
Esme Arabella Imogen Jessica Delilah Thea Layla Mabel Nancy Rose Elizabeth Eleanor Harriet Holly
Chloe Lucy Hannah Megan Scarlett Bella Lottie Erin Zara Jasmine Molly Katie Amber Ellie Darcy
Rebecca Victoria Alexandra Catherine Katherine Stephanie Samantha Jennifer Bethany`.split(/\s+/),
  },
  ADULT: {
    MALE: `David Paul Mark Andrew James Daniel Michael Christopher Richard Matthew Stephen Robert
Lee Thomas Craig Darren Jonathan Simon Peter Anthony Ian Gary Jason Adam Carl Martin Stuart Wayne
Neil Ryan Dean Scott Kevin John Steven Benjamin Philip Shaun Nicholas Graham Liam Ashley Alan Karl
Gavin Barry Sean Edward Gareth Colin Keith Terry William Jamie Luke Joseph Samuel Russell Alexander
Nathan Dominic Frederick Henry Jacob Oliver Zachary`.split(/\s+/),
    FEMALE: `Sarah Claire Emma Laura Rebecca Gemma Nicola Kelly Lisa Michelle Rachel Amy Samantha
Louise Joanne Victoria Hayley Kerry Stacey Donna Natalie Jennifer Catherine Helen Karen Katie Zoe
Elizabeth Charlotte Jessica Kirsty Lucy Sophie Leanne Hannah Danielle Stephanie Amanda Jodie Vicky
Alison Jane Tracey Angela Susan Julie Deborah Margaret Patricia Katherine Alexandra Eleanor Harriet
Isabella Natasha Carly Kate Lindsay Sharon`.split(/\s+/),
  },
};

/** A community's names: ranked lists, written forms, and (optionally) another script. */
interface OriginNames {
  given: Record<Sex, string[]>;
  surnames: string[];
  /** Surnames for women where the community uses one (Begum, Kaur), with its probability. */
  femaleSurname?: { names: string[]; probability: number };
}

const ORIGINS: Record<Exclude<NameOrigin, 'BRITISH'>, OriginNames> = {
  IRISH: {
    given: {
      MALE: 'Sean Conor Ciaran Padraig Oisin Eoin Cian Darragh Niall Declan Cillian Ronan Fionn'.split(
        ' ',
      ),
      FEMALE:
        'Siobhan Niamh Aoife Saoirse Ciara Sinead Roisin Caoimhe Orla Grainne Aisling Clodagh'.split(
          ' ',
        ),
    },
    surnames:
      "Murphy Kelly O'Brien O'Neill Byrne Ryan O'Sullivan Walsh O'Connor McCarthy Doyle Gallagher Kennedy Lynch Quinn McLaughlin".split(
        ' ',
      ),
  },
  SOUTH_ASIAN_MUSLIM: {
    given: {
      MALE: 'Muhammad Ali Ahmed Hassan Hussain Ibrahim Yusuf Zain Ayaan Omar Bilal Hamza Imran Tariq Asif Ayaan Rayyan Zakariya Ismail Adnan'.split(
        ' ',
      ),
      FEMALE:
        'Aisha Fatima Maryam Zainab Hafsa Khadija Amna Noor Sana Nadia Shazia Samina Iqra Hira Ayesha Alisha Anaya Inaya Rukhsana Nasreen'.split(
          ' ',
        ),
    },
    surnames:
      'Khan Ahmed Hussain Ali Akhtar Iqbal Shah Mahmood Rahman Islam Malik Butt Chowdhury Uddin Miah Rashid Aziz Mirza Qureshi Javed'.split(
        ' ',
      ),
    femaleSurname: { names: ['Begum', 'Bibi', 'Khatun'], probability: 0.35 },
  },
  SIKH_HINDU: {
    given: {
      MALE: 'Arjun Rohan Aarav Dev Harpreet Gurpreet Jaspreet Manpreet Rajesh Sanjay Vikram Amarjit Navdeep Ravi Sunil Kiran Anil Jasvir Kabir Veer'.split(
        ' ',
      ),
      FEMALE:
        'Priya Anjali Simran Sunita Neha Kiran Harpreet Jaspreet Manpreet Navdeep Pooja Meera Asha Rani Gurleen Amrit Divya Jasmin Sonia Nisha'.split(
          ' ',
        ),
    },
    surnames:
      'Patel Singh Sharma Shah Mistry Parmar Gill Sandhu Sidhu Kumar Chauhan Dhillon Bains Joshi Lal Gupta Sohal Grewal Virdee Rai'.split(
        ' ',
      ),
    femaleSurname: { names: ['Kaur'], probability: 0.15 },
  },
  ARABIC: {
    given: {
      MALE: 'Muhammad Ahmed Omar Khalid Yusuf Ali Hamza Adam Ibrahim Hassan Mustafa Karim Samir Tariq Walid Zaid'.split(
        ' ',
      ),
      FEMALE:
        'Fatima Aisha Layla Noor Sara Rania Hala Maryam Amira Yasmin Zainab Huda Lina Reem Dalia Salma'.split(
          ' ',
        ),
    },
    surnames:
      'Al-Hassan Al-Ahmad Haddad Khalil Saleh Ibrahim Mansour Abdullah Hamdan Nasser Youssef Darwish Haidar Al-Jabouri Salem Aziz'.split(
        ' ',
      ),
  },
  SOMALI: {
    given: {
      MALE: 'Mohamed Abdi Abdullahi Ahmed Hassan Ali Yusuf Omar Ismail Abdirahman Said Mahad Guled Farah Jama Nuur'.split(
        ' ',
      ),
      FEMALE:
        'Hodan Amina Fadumo Sahra Ifrah Hibo Ayan Nimco Ubah Khadra Hawa Sagal Ikran Ladan Muna Deeqa'.split(
          ' ',
        ),
    },
    // Somali children take their father's given name as a family name; a woman keeps her father's.
    surnames: [],
  },
  WEST_AFRICAN: {
    given: {
      MALE: 'Oluwaseun Chukwuemeka Adebayo Oluwadamilare Chinonso Kwame Kofi Emmanuel Samuel Daniel David Tobenna Ayodele Babajide Kelechi Obinna'.split(
        ' ',
      ),
      FEMALE:
        'Chiamaka Ngozi Folake Temitope Precious Blessing Favour Ama Abena Oluwatoyin Adaeze Funmilayo Grace Esther Chidinma Yewande'.split(
          ' ',
        ),
    },
    surnames:
      'Okafor Adeyemi Okonkwo Mensah Owusu Boateng Adebayo Eze Nwosu Asante Oyelaran Ogunleye Bello Osei Afolabi Nwachukwu'.split(
        ' ',
      ),
  },
  CHINESE: {
    given: {
      MALE: 'Wei Hao Jun Ming Lei Yu Jian Bo Chen Kai Jason Kevin Tony'.split(' '),
      FEMALE: 'Jing Xin Yan Ting Li Mei Hui Ying Xiu Lan Jenny Vivian Amy'.split(' '),
    },
    surnames: 'Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou'.split(' '),
  },
  POLISH: {
    given: {
      MALE: 'Jakub Kacper Szymon Filip Mateusz Piotr Krzysztof Tomasz Łukasz Wojciech Michał Paweł Marcin Kamil Bartosz Adam'.split(
        ' ',
      ),
      FEMALE:
        'Zuzanna Julia Maja Zofia Hanna Agnieszka Katarzyna Małgorzata Anna Magdalena Joanna Aleksandra Natalia Wiktoria Marta Ewa'.split(
          ' ',
        ),
    },
    // The masculine form; feminine forms are derived (Kowalski → Kowalska).
    surnames:
      'Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Krawczyk Piotrowski'.split(
        ' ',
      ),
  },
  ROMANIAN: {
    given: {
      MALE: 'Andrei Alexandru Ionuț Mihai Ștefan Gabriel Florin Adrian Cristian Marius Bogdan Vlad Daniel Sorin Claudiu Darius'.split(
        ' ',
      ),
      FEMALE:
        'Elena Ioana Maria Andreea Alexandra Mihaela Gabriela Ana Cristina Roxana Bianca Daniela Larisa Denisa Raluca Alina'.split(
          ' ',
        ),
    },
    surnames:
      'Popescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Ionescu Constantin Rusu Munteanu Lungu Moldovan'.split(
        ' ',
      ),
  },
};

/**
 * Spellings one name is written in (the first is the usual one). Agencies meet the same person
 * under several, which is the commonest reason a non-English name fails to match.
 */
const SPELLINGS: string[][] = [
  ['Muhammad', 'Mohammed', 'Mohammad', 'Mohamed', 'Muhammed', 'Mohamad'],
  ['Ahmed', 'Ahmad', 'Ahmet'],
  ['Hussain', 'Hussein', 'Husain', 'Hossain'],
  ['Yusuf', 'Yousuf', 'Yousef', 'Yusef', 'Youssef'],
  ['Omar', 'Umar'],
  ['Aisha', 'Ayesha', 'Aysha', 'Aishah'],
  ['Fatima', 'Fatimah', 'Fatema'],
  ['Maryam', 'Mariam', 'Meryem'],
  ['Zainab', 'Zaynab', 'Zeinab'],
  ['Khadija', 'Khadijah', 'Khadeeja'],
  ['Noor', 'Nur'],
  ['Layla', 'Leila', 'Laila', 'Leyla'],
  ['Khalid', 'Khaled'],
  ['Mansour', 'Mansur'],
  ['Saleh', 'Salih'],
  ['Al-Hassan', 'Alhassan', 'Al Hassan', 'Hassan'],
  ['Al-Ahmad', 'Alahmad', 'Al Ahmad'],
  ['Al-Jabouri', 'Al-Jaburi', 'Aljabouri'],
  ['Chowdhury', 'Choudhury', 'Chaudhry', 'Chaudhary'],
  ['Mahmood', 'Mehmood', 'Mahmud'],
  ['Rahman', 'Rehman'],
  ['Uddin', 'Udin'],
  ['Miah', 'Mia'],
  ['Qureshi', 'Kureshi', 'Qurashi'],
  ['Abdullahi', 'Abdilahi', 'Cabdullaahi'],
  ['Abdirahman', 'Abdurahman', 'Abdi-Rahman', 'Cabdiraxmaan'],
  ['Fadumo', 'Faduma', 'Fadhumo'],
  ['Amina', 'Aamina', 'Aminah'],
  ['Nimco', 'Nimo'],
  ['Sahra', 'Sahro'],
  ['Nuur', 'Nur', 'Noor'],
  ['Ifrah', 'Ifra'],
  ['Wang', 'Wong'],
  ['Li', 'Lee'],
  ['Zhang', 'Cheung', 'Chang'],
  ['Liu', 'Lau', 'Lao'],
  ['Chen', 'Chan'],
  ['Yang', 'Yeung'],
  ['Huang', 'Wong', 'Hwang'],
  ['Zhao', 'Chiu'],
  ['Wu', 'Ng', 'Woo'],
  ['Zhou', 'Chow', 'Chau'],
  ['Oluwaseun', 'Oluwaseyi', 'Seun'],
  ['Chukwuemeka', 'Chukwuemaka', 'Emeka'],
  ['Siobhan', 'Siobhán', 'Shivaun', 'Shevaun'],
  ['Niamh', 'Neve', 'Neamh'],
  ['Sinead', 'Sinéad', 'Shinead'],
  ['Padraig', 'Pádraig', 'Padraic'],
  ['Roisin', 'Róisín', 'Rosheen'],
  ['Saoirse', 'Seersha'],
  ['Ciara', 'Kiara', 'Keira'],
  ["O'Brien", 'OBrien', 'O Brien', 'O’Brien'],
  ["O'Neill", 'ONeill', 'O Neill', "O'Neil"],
  ["O'Sullivan", 'OSullivan', 'O Sullivan'],
  ["O'Connor", 'OConnor', "O'Conner"],
  ['McLaughlin', 'MacLaughlin', 'McLoughlin', 'Mc Laughlin'],
  ['McDonald', 'MacDonald', 'Mcdonald'],
  ['McCarthy', 'MacCarthy', 'Mc Carthy'],
  ['Ștefan', 'Ştefan', 'Stefan'],
  ['Ionuț', 'Ionut', 'Ionuţ'],
];
const SPELLINGS_OF = new Map<string, string[]>();
for (const group of SPELLINGS) for (const name of group) SPELLINGS_OF.set(name, group);

/** The other ways `name` is written (transliterations, diacritics dropped, punctuation). */
export function otherSpellings(name: string): string[] {
  const others = new Set((SPELLINGS_OF.get(name) ?? []).filter((n) => n !== name));
  const plain = withoutDiacritics(name);
  if (plain !== name) others.add(plain);
  return [...others];
}

/** "Łukasz Wiśniewski" → "Lukasz Wisniewski": how an English keyboard records it. */
export function withoutDiacritics(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L');
}

/** Names in the script their community writes them in (Arabic, Urdu, Chinese). */
const SCRIPT: Record<string, string> = {
  Muhammad: 'محمد',
  Ahmed: 'أحمد',
  Ali: 'علي',
  Omar: 'عمر',
  Yusuf: 'يوسف',
  Hassan: 'حسن',
  Hussain: 'حسين',
  Khalid: 'خالد',
  Ibrahim: 'إبراهيم',
  Hamza: 'حمزة',
  Adam: 'آدم',
  Mustafa: 'مصطفى',
  Karim: 'كريم',
  Tariq: 'طارق',
  Zaid: 'زيد',
  Fatima: 'فاطمة',
  Aisha: 'عائشة',
  Maryam: 'مريم',
  Layla: 'ليلى',
  Noor: 'نور',
  Sara: 'سارة',
  Zainab: 'زينب',
  Khadija: 'خديجة',
  Huda: 'هدى',
  Salma: 'سلمى',
  Amira: 'أميرة',
  Yasmin: 'ياسمين',
  Rania: 'رانيا',
  Khan: 'خان',
  Akhtar: 'اختر',
  Iqbal: 'اقبال',
  Shah: 'شاہ',
  Rahman: 'رحمان',
  Malik: 'ملک',
  Begum: 'بیگم',
  Bibi: 'بی بی',
  'Al-Hassan': 'الحسن',
  'Al-Ahmad': 'الأحمد',
  Haddad: 'حداد',
  Khalil: 'خليل',
  Saleh: 'صالح',
  Mansour: 'منصور',
  Abdullah: 'عبدالله',
  Hamdan: 'حمدان',
  Nasser: 'ناصر',
  Darwish: 'درويش',
  Wang: '王',
  Li: '李',
  Zhang: '张',
  Liu: '刘',
  Chen: '陈',
  Yang: '杨',
  Huang: '黄',
  Zhao: '赵',
  Wu: '吴',
  Zhou: '周',
  Wei: '伟',
  Hao: '浩',
  Jun: '俊',
  Ming: '明',
  Lei: '磊',
  Yu: '宇',
  Jian: '建',
  Jing: '静',
  Xin: '欣',
  Yan: '燕',
  Ting: '婷',
  Mei: '梅',
  Hui: '慧',
  Ying: '英',
};

/** The person's name in their community's script, when both parts have one. */
export function nameInScript(
  givenName: string,
  familyName: string,
): { givenName: string; familyName: string } | null {
  const given = SCRIPT[canonical(givenName)];
  const family = SCRIPT[canonical(familyName)];
  return given && family ? { givenName: given, familyName: family } : null;
}

function canonical(name: string): string {
  return SPELLINGS_OF.get(name)?.[0] ?? name;
}

const GIVEN_TOP_SHARE = 0.02;
const ORIGIN_TOP_SHARE = 0.12;
const tables = {
  britishSurname: new ZipfTable(BRITISH_SURNAMES, 0.011 / ORIGIN_SHARES.BRITISH),
  britishGiven: {
    CHILD: {
      MALE: new ZipfTable(
        unique([...BRITISH_GIVEN.CHILD.MALE, ...(fakerFirst?.male ?? [])]),
        GIVEN_TOP_SHARE,
      ),
      FEMALE: new ZipfTable(
        unique([...BRITISH_GIVEN.CHILD.FEMALE, ...(fakerFirst?.female ?? [])]),
        GIVEN_TOP_SHARE,
      ),
    },
    ADULT: {
      MALE: new ZipfTable(
        unique([...BRITISH_GIVEN.ADULT.MALE, ...(fakerFirst?.male ?? [])]),
        GIVEN_TOP_SHARE,
      ),
      FEMALE: new ZipfTable(
        unique([...BRITISH_GIVEN.ADULT.FEMALE, ...(fakerFirst?.female ?? [])]),
        GIVEN_TOP_SHARE,
      ),
    },
  },
  origin: Object.fromEntries(
    Object.entries(ORIGINS).map(([origin, names]) => [
      origin,
      {
        MALE: new ZipfTable(names.given.MALE, ORIGIN_TOP_SHARE),
        FEMALE: new ZipfTable(names.given.FEMALE, ORIGIN_TOP_SHARE),
        surname: names.surnames.length ? new ZipfTable(names.surnames, ORIGIN_TOP_SHARE) : null,
      },
    ]),
  ) as Record<
    Exclude<NameOrigin, 'BRITISH'>,
    { MALE: ZipfTable<string>; FEMALE: ZipfTable<string>; surname: ZipfTable<string> | null }
  >,
};

/** A family's origin, at the census shares. */
export function drawOrigin(random: Random): NameOrigin {
  const u = random.next();
  let running = 0;
  for (const [origin, share] of Object.entries(ORIGIN_SHARES) as [NameOrigin, number][]) {
    running += share;
    if (u < running) return origin;
  }
  return 'BRITISH';
}

/** A given name for someone of this origin, sex and generation, at its frequency. */
export function drawGivenName(
  origin: NameOrigin,
  sex: Sex,
  generation: 'CHILD' | 'ADULT',
  random: Random,
): string {
  // A fifth of children of other origins get a name from the British list (Adam, Sara, Daniel).
  if (origin === 'BRITISH' || (generation === 'CHILD' && random.chance(0.2)))
    return tables.britishGiven[generation][sex].draw(random);
  return writtenForm(tables.origin[origin][sex].draw(random), random);
}

/** A surname (the masculine form where the language inflects it), at its frequency. */
export function drawSurname(origin: NameOrigin, random: Random): string {
  if (origin === 'BRITISH') {
    // Double-barrelled and hyphenated family names: about 1 in 100 (hyphen) and 1 in 400 (space).
    const roll = random.next();
    const one = tables.britishSurname.draw(random);
    if (roll < 0.01) return `${one}-${tables.britishSurname.draw(random)}`;
    if (roll < 0.0125) return `${one} ${tables.britishSurname.draw(random)}`;
    return one;
  }
  if (origin === 'SOMALI') return writtenForm(tables.origin.SOMALI.MALE.draw(random), random);
  return writtenForm(tables.origin[origin].surname!.draw(random), random);
}

/** A woman's form of a family surname: Kowalski → Kowalska; sometimes Begum or Kaur. */
export function feminineSurname(origin: NameOrigin, surname: string, random: Random): string {
  if (origin === 'POLISH') return surname.replace(/ski$/, 'ska').replace(/cki$/, 'cka');
  const custom = origin === 'BRITISH' ? undefined : ORIGINS[origin].femaleSurname;
  if (custom && random.chance(custom.probability)) return random.pick(custom.names);
  return surname;
}

/** The spelling a family uses: the usual one mostly, another transliteration sometimes. */
function writtenForm(name: string, random: Random): string {
  const spellings = SPELLINGS_OF.get(name);
  if (!spellings || random.chance(0.6)) return name;
  return random.pick(spellings);
}

/** Twins' names: often the same initial (Harry and Holly), sometimes a rhyme (Lily and Millie). */
const RHYMES: string[][] = [
  ['Lily', 'Millie', 'Tilly'],
  ['Ella', 'Bella', 'Stella'],
  ['Jack', 'Zack'],
  ['Aidan', 'Jayden', 'Kayden'],
  ['Rosie', 'Josie'],
  ['Harry', 'Barry', 'Larry'],
  ['Maisie', 'Daisy', 'Lacey'],
  ['Hassan', 'Hussain'],
  ['Freddie', 'Teddy', 'Eddie'],
];

export function twinGivenName(first: string, origin: NameOrigin, sex: Sex, random: Random): string {
  const roll = random.next();
  const rhymes = RHYMES.find((group) => group.includes(first));
  if (roll < 0.1 && rhymes) return random.pick(rhymes.filter((n) => n !== first));
  const sameInitial = roll < 0.45;
  for (let tries = 0; tries < 40; tries++) {
    const name = drawGivenName(origin, sex, 'CHILD', random);
    if (name !== first && (!sameInitial || name[0] === first[0])) return name;
  }
  return drawGivenName(origin, sex, 'CHILD', random);
}

/** The commonest British surnames, in rank order (street names are made from them too). */
export const COMMON_SURNAMES: readonly string[] = BRITISH_SURNAME_HEAD.filter(
  (n) => !n.includes('-'),
);

function unique(names: string[]): string[] {
  return [...new Set(names.filter((n) => /^[\p{L}' -]+$/u.test(n)))];
}

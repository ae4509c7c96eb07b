/**
 * Formal given names and the short forms people are commonly recorded under in the UK. Used both
 * to make synthetic identity noise and to recognise it when matching.
 */
export const FEMALE_NICKNAMES: Record<string, string[]> = {
  alexandra: ['alex', 'lexi', 'sandra'],
  catherine: ['cath', 'kate', 'katie'],
  charlotte: ['lottie', 'charlie'],
  deborah: ['debbie', 'deb'],
  elizabeth: ['liz', 'beth', 'lizzie', 'betty'],
  eleanor: ['ellie', 'nell'],
  gemma: ['gem'],
  harriet: ['hattie'],
  isabella: ['bella', 'izzy'],
  jennifer: ['jen', 'jenny'],
  jessica: ['jess', 'jessie'],
  katherine: ['kate', 'kathy', 'katie'],
  margaret: ['maggie', 'peggy', 'meg'],
  patricia: ['pat', 'patsy', 'trish'],
  rebecca: ['becky', 'becca'],
  samantha: ['sam', 'sammy'],
  sophie: ['soph'],
  stephanie: ['steph'],
  susan: ['sue', 'suzy'],
  victoria: ['vicky', 'tori'],
};

export const MALE_NICKNAMES: Record<string, string[]> = {
  alexander: ['alex', 'sandy', 'xander'],
  anthony: ['tony', 'ant'],
  benjamin: ['ben', 'benji'],
  christopher: ['chris', 'kit'],
  daniel: ['dan', 'danny'],
  david: ['dave', 'davy'],
  edward: ['ed', 'eddie', 'ted'],
  frederick: ['fred', 'freddie'],
  henry: ['harry', 'hal'],
  jacob: ['jake'],
  james: ['jim', 'jimmy', 'jamie'],
  john: ['jack', 'johnny'],
  jonathan: ['jon', 'jonny'],
  joseph: ['joe', 'joey'],
  matthew: ['matt'],
  michael: ['mike', 'mikey', 'mick'],
  nicholas: ['nick', 'nicky'],
  oliver: ['ollie'],
  richard: ['rick', 'ricky', 'dick'],
  robert: ['rob', 'bob', 'bobby', 'robbie'],
  samuel: ['sam', 'sammy'],
  stephen: ['steve'],
  thomas: ['tom', 'tommy'],
  william: ['will', 'bill', 'billy', 'liam'],
  zachary: ['zach', 'zak'],
};

export const NICKNAMES: Record<string, string[]> = { ...FEMALE_NICKNAMES, ...MALE_NICKNAMES };

const formalByNickname = new Map<string, Set<string>>();
for (const [formal, shortForms] of Object.entries(NICKNAMES)) {
  for (const shortForm of shortForms) {
    if (!formalByNickname.has(shortForm)) formalByNickname.set(shortForm, new Set());
    formalByNickname.get(shortForm)!.add(formal);
  }
}

/** True when one name is a recorded short form of the other (or both short forms of one name). */
export function areNicknameVariants(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return false;
  const formalsOf = (name: string) => new Set([name, ...(formalByNickname.get(name) ?? [])]);
  const fx = formalsOf(x);
  for (const formal of formalsOf(y)) if (fx.has(formal)) return true;
  return false;
}

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

/**
 * Further forms of one name that referrals and agency records carry, beyond the short forms the
 * synthetic population draws from (kept apart so the generator's output does not change): older
 * and less obvious short forms (Ned, Peggy, Polly), and Irish, Scottish and Welsh spellings and
 * their anglicised forms (Siobhan/Shivaun, Dafydd/David). Each group is one name; matching treats
 * any two members of a group as the same given name recorded differently.
 */
export const NAME_VARIANT_GROUPS: readonly (readonly string[])[] = [
  // English short forms beyond the generator's list
  ['edward', 'ned', 'neddy', 'teddy', 'ted', 'ed', 'eddie', 'eddy'],
  ['edmund', 'ed', 'ned', 'eddie'],
  ['theodore', 'theo', 'ted', 'teddy'],
  ['margaret', 'peggy', 'maggie', 'meg', 'greta', 'madge', 'mags'],
  ['mary', 'molly', 'polly', 'mae', 'mair', 'maire', 'maura', 'moira'],
  ['ann', 'anne', 'anna', 'annie', 'nancy', 'nan'],
  ['sarah', 'sara', 'sally', 'sadie'],
  ['helen', 'ellen', 'nell', 'nellie', 'elena'],
  ['eleanor', 'elinor', 'nora', 'norah', 'ellie', 'nell'],
  ['elizabeth', 'eliza', 'elsie', 'bess', 'bessie', 'lisa', 'libby', 'beth', 'liz', 'betty'],
  ['charles', 'charlie', 'chas', 'chuck', 'chaz'],
  ['albert', 'bert', 'bertie', 'al'],
  ['herbert', 'bert', 'herb'],
  ['archibald', 'archie', 'archy'],
  ['alfred', 'alfie', 'alf', 'fred', 'freddie'],
  ['frances', 'fran', 'frankie', 'fanny'],
  ['francis', 'frank', 'frankie', 'fran'],
  ['lawrence', 'laurence', 'larry', 'laurie', 'lol'],
  ['leonard', 'len', 'lenny'],
  ['terence', 'terrence', 'terry', 'tel'],
  ['gerald', 'gerard', 'gerry', 'ged', 'jerry'],
  ['kenneth', 'ken', 'kenny'],
  ['andrew', 'andy', 'drew', 'aindrea', 'aindriu'],
  ['peter', 'pete', 'pedr', 'peadar'],
  ['philip', 'phillip', 'phil', 'pip'],
  ['gregory', 'greg'],
  ['raymond', 'ray'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donny'],
  ['timothy', 'tim', 'timmy'],
  ['harold', 'harry', 'hal'],
  ['isaac', 'ike', 'zac'],
  ['josephine', 'jo', 'josie', 'jojo'],
  ['joanna', 'joanne', 'jo'],
  ['louise', 'louisa', 'lou', 'lulu'],
  ['abigail', 'abbie', 'abby', 'gail'],
  ['amelia', 'millie'],
  ['emily', 'em', 'emmy', 'millie'],
  ['florence', 'flo', 'florrie', 'flossie'],
  ['olivia', 'liv', 'livvy', 'livia'],
  ['evelyn', 'evie', 'eve'],
  ['madeleine', 'madeline', 'maddie', 'maddy'],
  ['natalie', 'nat', 'tally'],
  ['nathaniel', 'nat', 'nate'],
  ['jacqueline', 'jackie', 'jacqui'],
  ['christine', 'christina', 'chris', 'chrissie', 'tina', 'kirsty', 'kirsten'],
  ['caroline', 'carolyn', 'carrie', 'caz', 'carol'],
  ['dorothy', 'dot', 'dottie', 'dolly', 'dora'],
  ['theresa', 'teresa', 'tess', 'tessa', 'terri'],
  ['rosemary', 'rosie', 'rose'],
  ['georgina', 'georgia', 'georgie', 'gina'],
  ['george', 'georgie', 'geordie', 'sior', 'seoirse'],
  ['joshua', 'josh'],
  ['mohammed', 'mohammad', 'muhammad', 'muhammed', 'mohamed', 'mohamad', 'mohd', 'mo'],
  ['aleksandr', 'alexander', 'alexandr', 'sasha', 'sacha', 'alex'],
  // Irish (Gaelic) names and their anglicised spellings
  ['siobhan', 'shivaun', 'shevaun', 'shivon', 'chevonne', 'shavon'],
  ['niamh', 'neve', 'neave', 'nieve', 'neamh'],
  ['sean', 'shaun', 'shawn', 'eoin', 'john'],
  ['aoife', 'eefa', 'eva', 'ifa'],
  ['caoimhe', 'keeva', 'kiva', 'queva'],
  ['saoirse', 'seersha', 'sorcha', 'searsha'],
  ['sinead', 'shinead', 'shanade', 'jane', 'janet'],
  ['padraig', 'patrick', 'paddy', 'pat', 'padraic', 'podge'],
  ['seamus', 'shamus', 'hamish', 'james'],
  ['eoin', 'owen', 'ewan', 'euan', 'ewen'],
  ['ciaran', 'kieran', 'kieron', 'ciaren'],
  ['ciara', 'keira', 'kiera', 'kira'],
  ['grainne', 'grania', 'granya'],
  ['roisin', 'rosheen', 'rose'],
  ['oisin', 'osheen', 'ossian'],
  ['tadhg', 'teague', 'tim', 'timothy'],
  ['diarmuid', 'dermot', 'diarmaid'],
  ['mairead', 'maureen', 'margaret', 'maighread'],
  ['aisling', 'ashling', 'ashlyn'],
  ['clodagh', 'cloda'],
  ['eabha', 'eva', 'ava'],
  ['ruairi', 'rory', 'ruari', 'ruaidhri'],
  ['cathal', 'cahal', 'charles'],
  ['domhnall', 'donal', 'donald'],
  ['peadar', 'peter'],
  // Scottish Gaelic
  ['iain', 'ian', 'john'],
  ['eilidh', 'ailie', 'helen'],
  ['mhairi', 'vari', 'mary'],
  ['catriona', 'catrina', 'katrina', 'catherine'],
  ['alasdair', 'alastair', 'alistair', 'alisdair', 'alexander'],
  // Welsh names and their English forms
  ['dafydd', 'david', 'dai', 'dewi', 'dave', 'davy', 'taffy'],
  ['rhys', 'reece', 'rees', 'reese', 'rhodri'],
  ['sian', 'shan', 'jane'],
  ['sion', 'shaun', 'john'],
  ['ioan', 'john', 'ifan', 'evan'],
  ['ieuan', 'iwan', 'evan', 'ian'],
  ['huw', 'hugh', 'hughie'],
  ['gwilym', 'william', 'gwil'],
  ['iestyn', 'justin'],
  ['tomos', 'thomas', 'twm', 'tom'],
  ['llewellyn', 'llywelyn', 'llew', 'lyn', 'llewelyn'],
  ['catrin', 'catherine', 'cati', 'kate'],
  ['gwenllian', 'gwen'],
  ['ffion', 'fion', 'fiona'],
  ['bethan', 'beth', 'elizabeth'],
  ['morgan', 'morgana'],
  ['owain', 'owen'],
  ['steffan', 'stephen', 'steven'],
  ['gareth', 'gaz', 'garth'],
];

const formalByNickname = new Map<string, Set<string>>();
for (const [formal, shortForms] of Object.entries(NICKNAMES)) {
  for (const shortForm of shortForms) {
    if (!formalByNickname.has(shortForm)) formalByNickname.set(shortForm, new Set());
    formalByNickname.get(shortForm)!.add(formal);
  }
}

const variantGroupsByName = new Map<string, number[]>();
NAME_VARIANT_GROUPS.forEach((group, index) => {
  for (const name of group)
    variantGroupsByName.set(name, [...(variantGroupsByName.get(name) ?? []), index]);
});

const variantKeysByName = new Map<string, readonly string[]>();

/**
 * Keys two names share exactly when one is a recorded short form or variant of the other (or both
 * are forms of one name): the formal names a name stands for, and the variant groups it is in.
 * Computed once per name, so comparing is a lookup.
 */
export function nameVariantKeys(name: string): readonly string[] {
  const x = name.toLowerCase();
  let keys = variantKeysByName.get(x);
  if (!keys) {
    keys = [
      `formal:${x}`,
      ...[...(formalByNickname.get(x) ?? [])].map((formal) => `formal:${formal}`),
      ...(variantGroupsByName.get(x) ?? []).map((group) => `group:${group}`),
    ];
    if (variantKeysByName.size > 100_000) variantKeysByName.clear();
    variantKeysByName.set(x, keys);
  }
  return keys;
}

/**
 * True when one name is a recorded short form or variant of the other (or both short forms of one
 * name). Names are compared as `normaliseName` gives them (lower case, letters only).
 */
export function areNicknameVariants(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return false;
  const x = nameVariantKeys(a);
  return nameVariantKeys(b).some((key) => x.includes(key));
}

// talisman ships no type declarations; these are the two functions used.
declare module 'talisman/metrics/jaro-winkler' {
  const jaroWinkler: (a: string, b: string) => number;
  export = jaroWinkler;
}
declare module 'talisman/phonetics/double-metaphone' {
  const doubleMetaphone: (word: string) => [string, string];
  export = doubleMetaphone;
}

declare module "@zxcvbn-ts/language-common/dist/passwords.json.mjs" {
  /** About 49,000 common passwords, lower-cased, most common first. */
  const passwords: string[];
  export default passwords;
}

/** The one call of js-yaml (installed with ESLint) the pipeline test makes; the package ships no types. */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}

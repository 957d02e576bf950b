/** The characters free text may not carry: defined once in config/control-chars.ts, which the settings schemas check with too. */
export * from '../../config/control-chars';

/** The port that seals an initial password before it is stored: only ciphertext ever reaches the table. */

/** Bound into the ciphertext: a ciphertext opens only for the employee it was sealed for. */
export interface SealContext {
  employeeId: string;
}

export interface PasswordSealer {
  seal(plaintext: string, context: SealContext): Promise<string>;
  /** Throws when the ciphertext was not sealed with this key and this context. */
  open(ciphertext: string, context: SealContext): Promise<string>;
}

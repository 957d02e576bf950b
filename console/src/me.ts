/** What the signed-in person may do (GET /v1/me): the console shows only the buttons they may use; the API refuses the rest anyway. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface Me {
  subject: string;
  name?: string;
  groups: string[];
  permissions: string[];
}

export const MeContext = createContext<Me | undefined>(undefined);

export function useMay(permission: string): boolean {
  return useContext(MeContext)?.permissions.includes(permission) ?? false;
}

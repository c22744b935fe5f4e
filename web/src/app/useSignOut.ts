import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../ui/api';
import { useStoreMe } from './session';

/** Ends the session on the server (ignoring failures: the user wants out) and goes to a sign-in page. */
export function useSignOut(): (target?: string, everywhere?: boolean) => Promise<void> {
  const navigate = useNavigate();
  const storeMe = useStoreMe();
  return useCallback(
    async (target = '/sign-in', everywhere = false) => {
      try {
        await api.post(everywhere ? '/api/auth/sign-out-everywhere' : '/api/auth/sign-out', undefined, { quiet: true });
      } catch {
        // already signed out, or the server is away: forget the session locally all the same
      }
      storeMe(null);
      await navigate(target, { replace: true });
    },
    [navigate, storeMe],
  );
}

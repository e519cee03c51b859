import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createApi, type ApiClient, type Role } from './api/client';
import { clearSession, loadSession, saveSession, type Session } from './lib/session';

interface SessionValue {
  readonly session: Session;
  readonly api: ApiClient;
  readonly role: Role;
  /** The platform's admin: every owner, owners and keys. */
  readonly isAdmin: boolean;
  /** Owner and admin keys change stores; viewer keys only read. */
  readonly canWrite: boolean;
  /** The owner a platform admin acts for (X-Owner), or undefined. */
  readonly actingOwner: string | undefined;
  setActingOwner(owner: string | undefined): void;
  signOut(reason?: string): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (v === null) throw new Error('useSession outside of a signed-in session');
  return v;
}

interface AuthState {
  readonly session: Session | null;
  /** Why the user was signed out, shown on the sign-in form. */
  readonly notice: string | null;
  signIn(session: Session): void;
}

/** Holds the session; renders `signedOut` without one and `children` (with the session context) with one. */
export function SessionProvider(props: { children: ReactNode; signedOut: (auth: AuthState) => ReactNode; baseUrl?: string }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = useCallback((reason?: string) => {
    clearSession();
    setSession(null);
    setNotice(reason ?? null);
  }, []);
  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setNotice(null);
    setSession(s);
  }, []);
  const setActingOwner = useCallback((owner: string | undefined) => {
    setSession((cur) => {
      if (cur === null) return cur;
      const { actingOwner: _previous, ...rest } = cur;
      const next = owner === undefined ? rest : { ...rest, actingOwner: owner };
      saveSession(next);
      return next;
    });
  }, []);
  const value = useMemo<SessionValue | null>(() => {
    if (session === null) return null;
    const actingOwner = session.role === 'admin' ? session.actingOwner : undefined;
    const api = createApi(session.apiKey, {
      ...(props.baseUrl !== undefined ? { baseUrl: props.baseUrl } : {}),
      owner: actingOwner,
      onUnauthorized: () => signOut('The platform no longer accepts this API key. Sign in again.'),
    });
    return { session, api, ...rolesOf(session.role), actingOwner, setActingOwner, signOut };
  }, [session, signOut, setActingOwner, props.baseUrl]);
  if (value === null) return <>{props.signedOut({ session, notice, signIn })}</>;
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

const rolesOf = (role: Role) => ({ role, isAdmin: role === 'admin', canWrite: role !== 'viewer' });

/** For tests and stories: a fixed session. */
export function TestSessionProvider(props: { children: ReactNode; api: ApiClient; role: Role; onSignOut?: (reason?: string) => void }) {
  const value = useMemo<SessionValue>(
    () => ({
      session: { apiKey: 'test', role: props.role },
      api: props.api,
      ...rolesOf(props.role),
      actingOwner: undefined,
      setActingOwner: () => undefined,
      signOut: props.onSignOut ?? (() => undefined),
    }),
    [props.api, props.role, props.onSignOut],
  );
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

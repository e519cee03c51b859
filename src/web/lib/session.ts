import { ROLES, type Role } from '../api/client';

/** What the dashboard keeps for the browser session (sessionStorage: gone when the tab closes). */
export interface Session {
  readonly apiKey: string;
  readonly role: Role;
  readonly keyId?: string;
  /** A platform admin acting for this owner (sent as X-Owner); unset: every owner. */
  readonly actingOwner?: string;
}

const STORAGE_KEY = 'store-platform.session';

export function loadSession(storage: Storage = sessionStorage): Session | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.apiKey !== 'string' || !ROLES.some((r) => r === s.role)) return null;
    return s as Session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}

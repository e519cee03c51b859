import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { ThemeToggle, useTheme } from './components/theme-toggle';
import { ToastProvider } from './components/toasts';
import { SessionProvider, useSession } from './context';
import { unwrap } from './api/client';
import { useAsync } from './lib/hooks';
import { AuditPage } from './pages/audit-page';
import { OwnersPage } from './pages/owners-page';
import { RolloutPage } from './pages/rollout-page';
import { RolloutsPage } from './pages/rollouts-page';
import { SignInPage } from './pages/sign-in-page';
import { StorePage } from './pages/store-page';
import { StoresPage } from './pages/stores-page';

function NavLink(props: { href: string; children: string; match: (path: string) => boolean }) {
  const [location] = useLocation();
  const current = props.match(location);
  return (
    <Link href={props.href} className={`nav-link ${current ? 'active' : ''}`} aria-current={current ? 'page' : undefined}>
      {props.children}
    </Link>
  );
}

/** The signed-in pages. */
export function AppRoutes() {
  return (
    <Switch>
      <Route path="/" component={StoresPage} />
      <Route path="/stores/:id/:tab?" component={StorePage} />
      <Route path="/audit" component={AuditPage} />
      <Route path="/owners" component={OwnersPage} />
      <Route path="/rollouts" component={RolloutsPage} />
      <Route path="/rollouts/:id" component={RolloutPage} />
      <Route>
        <h1>Not found</h1>
        <p>
          <Link href="/">Back to the stores</Link>
        </p>
      </Route>
    </Switch>
  );
}

const ROLE_LABEL = { admin: 'Admin', owner: 'Owner', viewer: 'Viewer (read-only)' } as const;

/** A platform admin's owner switch: every request then carries X-Owner and sees what that owner sees. */
function OwnerSwitch() {
  const { api, actingOwner, setActingOwner } = useSession();
  const owners = useAsync((signal) => unwrap(api.GET('/api/v1/owners', { signal })), [api]);
  return (
    <select
      aria-label="Act for owner"
      className="owner-switch"
      value={actingOwner ?? ''}
      onChange={(e) => setActingOwner(e.target.value === '' ? undefined : e.target.value)}
    >
      <option value="">All owners</option>
      {(owners.data?.items ?? []).map((o) => (
        <option key={o.id} value={o.id}>
          {o.name} ({o.id})
        </option>
      ))}
    </select>
  );
}

function Shell(props: { theme: ReturnType<typeof useTheme> }) {
  const { role, session, signOut, isAdmin, actingOwner } = useSession();
  const [theme, setTheme] = props.theme;
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Store Platform home">
          <span className="logo" aria-hidden="true">
            ▣
          </span>
          <span className="brand-text"> Store Platform</span>
        </Link>
        <nav aria-label="Main" className="nav">
          <NavLink href="/" match={(p) => p === '/' || p.startsWith('/stores')}>
            Stores
          </NavLink>
          <NavLink href="/audit" match={(p) => p.startsWith('/audit')}>
            Audit log
          </NavLink>
          {isAdmin ? (
            <>
              <NavLink href="/rollouts" match={(p) => p.startsWith('/rollouts')}>
                Rollouts
              </NavLink>
              <NavLink href="/owners" match={(p) => p.startsWith('/owners')}>
                Owners
              </NavLink>
            </>
          ) : null}
        </nav>
        <div className="spacer" />
        {isAdmin ? <OwnerSwitch /> : null}
        <span className={`role role-${role}`} title={session.keyId ? `Key ${session.keyId}` : undefined}>
          {ROLE_LABEL[role]}
        </span>
        <ThemeToggle theme={theme} onChange={setTheme} />
        <button type="button" className="button button-quiet" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {/* a new owner scope reloads every page */}
        <AppRoutes key={actingOwner ?? '*'} />
      </main>
    </>
  );
}

export function App() {
  const theme = useTheme();
  return (
    <Router>
      <ToastProvider>
        <SessionProvider
          signedOut={(auth) => (
            <>
              <div className="floating-theme">
                <ThemeToggle theme={theme[0]} onChange={theme[1]} />
              </div>
              <SignInPage notice={auth.notice} onSignIn={auth.signIn} />
            </>
          )}
        >
          <Shell theme={theme} />
        </SessionProvider>
      </ToastProvider>
    </Router>
  );
}

/** What `npm run demo` prints once the platform is up (scripts/demo.ts); pure, so it is tested. */
export interface DemoBannerProps {
  /** The platform's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly adminKey: string;
  /** Absolute path of the SQLite file the demo runs on; `store-platform keys` must use the same one. */
  readonly databasePath: string;
  /** Whether the dashboard was built (served at `/`). */
  readonly dashboard: boolean;
}

export function demoBanner(p: DemoBannerProps): string {
  return [
    '',
    'Store Platform is running on the simulated cluster.',
    '',
    `  API          ${p.url}/api/v1`,
    `  Swagger UI   ${p.url}/docs`,
    `  OpenAPI      ${p.url}/openapi.json`,
    `  Dashboard    ${p.dashboard ? `${p.url}/` : `(not built: build the dashboard into dist/web, then restart the demo)`}`,
    `  Metrics      ${p.url}/metrics`,
    `  Database     ${p.databasePath}`,
    '',
    `  Admin key    ${p.adminKey}`,
    '',
    'Try:',
    `  export SP=${p.url} KEY=${p.adminKey}`,
    `  curl -s -X POST $SP/api/v1/stores -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \\`,
    `    -d '{"name":"demo-shop","engine":"woocommerce","plan":"small","adminEmail":"you@example.com","title":"Demo shop"}'`,
    '',
    'More keys for this demo (the CLI must use the demo\'s database):',
    `  DATABASE_PATH=${p.databasePath} npx store-platform keys create --owner default --role viewer --name me`,
    '',
    'Ctrl-C stops the API; the cluster keeps running (npm run cluster:down stops it and deletes the demo\'s database with it).',
    '',
  ].join('\n');
}

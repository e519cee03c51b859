// tsc compiles TypeScript only: the SQL migrations the server applies at start-up are copied
// next to the compiled database module, where MIGRATIONS_FOLDER resolves them.
import { cpSync } from 'node:fs';

cpSync('src/db/migrations', 'dist/src/db/migrations', { recursive: true });
console.log('copied src/db/migrations -> dist/src/db/migrations');

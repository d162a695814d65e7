import * as fs from 'node:fs';
import * as path from 'node:path';
import { FUNCTION_MODULES } from '../../functions/local/loadFunctions';

test('the local host loads exactly the function files the Functions host loads (functions/*.ts)', () => {
  const dir = path.join(__dirname, '..', '..', 'functions');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
  expect([...FUNCTION_MODULES].sort()).toEqual(files.sort());
});

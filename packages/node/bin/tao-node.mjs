#!/usr/bin/env node
// Runs the TypeScript entry point through tsx (workspace packages are consumed from source).
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');

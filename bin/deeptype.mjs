#!/usr/bin/env node
// deeptype ships its TypeScript sources; tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

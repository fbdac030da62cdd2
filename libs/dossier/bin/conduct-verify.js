#!/usr/bin/env node
// conduct-verify, run from the TypeScript sources of a Conduct checkout (swc compiles on load).
require('@swc-node/register');
require('../src/cli.ts');

#!/usr/bin/env node
'use strict';
// The CLI is an ES module split into chunks (scripts/build.mjs): a run loads
// only what it uses (no OpenTelemetry exporters without an endpoint, no
// debug adapter or language server unless asked for).
import('../dist/cli.mjs').then((cli) => cli.run());

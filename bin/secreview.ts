#!/usr/bin/env node
import { main } from '../src/cli/main.js';

// A reader that stops early (`secreview rules | head`) closes the pipe: that ends the run quietly,
// as it ends any Unix tool, instead of printing an EPIPE stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stderr.isTTY,
  stdoutIsTTY: process.stdout.isTTY,
});

import { defineModel } from '../concepts.js';

/** paramiko: `SSHClient.exec_command` hands its string to the remote user's shell. */
export default defineModel({
  name: 'paramiko',
  sinks: [
    {
      concept: 'remote-command-execution',
      calls: ['.exec_command'],
      keywords: ['command'],
    },
  ],
});

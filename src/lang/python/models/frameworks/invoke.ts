import { defineModel } from '../concepts.js';

/**
 * Invoke and Fabric: task runners whose `run`/`sudo` hand their string to a shell (`bash -c` by
 * default), locally (Invoke, Fabric's `local`) or on the remote host (Fabric's `Connection`).
 */
export default defineModel({
  name: 'invoke',
  sinks: [
    {
      concept: 'command-execution',
      calls: [
        'invoke.run',
        'invoke.sudo',
        'invoke.Context().run',
        'invoke.Context().sudo',
        'invoke.context.Context().run',
        'invoke.context.Context().sudo',
        'fabric.Connection().local',
        'fabric.connection.Connection().local',
      ],
      keywords: ['command'],
      shell: 'always',
    },
    {
      concept: 'remote-command-execution',
      calls: [
        'fabric.Connection().run',
        'fabric.Connection().sudo',
        'fabric.connection.Connection().run',
        'fabric.connection.Connection().sudo',
      ],
      keywords: ['command'],
    },
  ],
});

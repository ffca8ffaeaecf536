import { defineModel } from '../concepts.js';

/**
 * smolagents: an agent calls its tools with arguments the language model wrote, after reading the
 * task, web pages and earlier tools' results, which an attacker may have written (prompt
 * injection). A `@tool` function's parameters and a `Tool` subclass's `forward` parameters hold
 * such arguments.
 */
export default defineModel({
  name: 'smolagents',
  callbacks: [
    {
      decorators: ['smolagents.tool', 'smolagents.tools.tool'],
      chosenBy: 'language-model',
      what: 'tool argument',
    },
    {
      bases: ['smolagents.Tool', 'smolagents.tools.Tool'],
      methods: ['forward'],
      chosenBy: 'language-model',
      what: 'tool argument',
    },
  ],
});

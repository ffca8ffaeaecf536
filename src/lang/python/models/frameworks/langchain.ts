import { defineModel } from '../concepts.js';

/**
 * LangChain: an agent calls a tool with arguments the language model wrote after reading text an
 * attacker may have written (prompt injection): a `@tool` function's parameters, and those of a
 * `BaseTool` subclass's `_run` and `_arun`.
 */
export default defineModel({
  name: 'langchain',
  callbacks: [
    {
      decorators: ['langchain.tools.tool', 'langchain.agents.tool', 'langchain_core.tools.tool'],
      chosenBy: 'language-model',
      what: 'tool argument',
    },
    {
      bases: ['langchain.tools.BaseTool', 'langchain_core.tools.BaseTool', 'langchain.tools.base.BaseTool'],
      methods: ['_run', '_arun'],
      chosenBy: 'language-model',
      what: 'tool argument',
    },
  ],
});

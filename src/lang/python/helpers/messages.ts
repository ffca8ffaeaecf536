/** The Python rules' messages are written as every language's are (see rules/messages.ts). */
export * from '../../../rules/messages.js';

import { defineModel } from '../concepts.js';

/**
 * mistune (2 and later), a Markdown renderer. Its HTML renderer escapes raw HTML in the text and
 * drops links with harmful schemes (`javascript:`) unless it is made with `escape=False`;
 * `mistune.html` is made that way and is no sanitizer. (A renderer object passed as `renderer=`
 * decides for itself: one made with `escape=False` is not seen here.)
 */
export default defineModel({
  name: 'mistune',
  sanitizers: [
    { call: 'mistune.markdown', cwe: [79], unless: { keyword: 'escape', value: false } },
    // The function `create_markdown(...)` makes, called on the text.
    { call: 'mistune.create_markdown()', cwe: [79], unless: { keyword: 'escape', value: false } },
  ],
});

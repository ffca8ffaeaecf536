import { defineModel } from '../concepts.js';

/**
 * Code of a selector written as XPath: Playwright and Helium read a selector that starts with
 * `xpath=`, `//` or `..` (or `(//`) as XPath, any other as CSS or text.
 */
export const XPATH_SELECTOR = /^[rRfFbBuU]{0,2}("""|'''|"|')(xpath=|\(?\.{0,2}\/\/|\.\.)/;

/** Page, frame and locator methods whose first argument is a selector. */
const SELECTOR_METHODS = [
  'locator',
  'query_selector',
  'query_selector_all',
  'wait_for_selector',
  'click',
  'dblclick',
  'fill',
  'hover',
  'text_content',
  'inner_text',
  'inner_html',
  'get_attribute',
  'is_visible',
];

/**
 * Playwright: a selector written as XPath (`page.locator(f"//a[text()='{name}']")`) is evaluated
 * as XPath; one written as CSS or text is not judged here.
 */
export default defineModel({
  name: 'playwright',
  sinks: [
    {
      concept: 'xpath-query',
      calls: SELECTOR_METHODS.map((m) => `.${m}`),
      keywords: ['selector'],
      argumentText: XPATH_SELECTOR,
    },
  ],
});

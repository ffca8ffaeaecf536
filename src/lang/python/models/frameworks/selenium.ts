import { defineModel } from '../concepts.js';

/** A locator's strategy written as XPath: `By.XPATH` or the string it stands for. */
const XPATH_STRATEGY = /(^|\.)XPATH$|^["']xpath["']$/;

/**
 * Selenium WebDriver: `find_element(By.XPATH, expr)` and `find_elements` evaluate `expr` as XPath
 * in the page (other strategies are CSS selectors, ids and names); Selenium 3's
 * `find_element_by_xpath` always does. Its XPath takes no variables: a value must be quoted into
 * the expression as a literal.
 */
export default defineModel({
  name: 'selenium',
  sinks: [
    {
      concept: 'xpath-query',
      calls: ['.find_element', '.find_elements'],
      args: [1],
      keywords: ['value'],
      whenArgument: { index: 0, keyword: 'by', text: XPATH_STRATEGY },
    },
    { concept: 'xpath-query', calls: ['.find_element_by_xpath', '.find_elements_by_xpath'] },
  ],
});

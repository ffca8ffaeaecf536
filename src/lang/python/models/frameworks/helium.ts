import { defineModel } from '../concepts.js';
import { XPATH_SELECTOR } from './playwright.js';

/** Helium: `S(selector)` reads a selector that starts with `/` as XPath (`S(f"//a[@id='{x}']")`). */
export default defineModel({
  name: 'helium',
  sinks: [
    { concept: 'xpath-query', calls: ['helium.S'], keywords: ['selector'], argumentText: XPATH_SELECTOR },
  ],
});

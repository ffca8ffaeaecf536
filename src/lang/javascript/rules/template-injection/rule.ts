import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'javascript/template-injection',
  title: 'Template source built from request data',
  cwe: 1336,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['render', 'compile', 'template', 'renderString'],
  description:
    'Request data is compiled as the source of a template: `ejs.render`/`ejs.compile`, `pug.render`/' +
    '`pug.compile`, `Handlebars.compile`, `nunjucks.renderString`, lodash/underscore `template`, doT and ' +
    'Eta. EJS, Pug, lodash and doT templates contain JavaScript, so the client runs code in the server; ' +
    "Handlebars and Nunjucks expressions reach helpers and objects' prototypes. Data given to a " +
    'compiled template (its second argument, the `render` of a view) is not compiled and is not ' +
    'reported. High confidence: the flow is proven.',
  fix: 'Keep templates in files or constants and pass request data only as the data the template renders.',
  example: {
    bad: 'ejs.render(req.body.template, { user })',
    good: 'ejs.render(TEMPLATE, { user, greeting: req.body.greeting })',
  },
  taint: {
    concepts: ['template-compilation'],
    message: (hit) =>
      `${hit.sinkLabel} compiles template source built from ${hit.sourceText}: the client writes template code that runs in the server.`,
  },
});

import { defineModel } from '../concepts.js';

/** Component classes a project subclasses: a subclass's `preprocess` gets the browser's payload. */
const COMPONENTS = [
  'gradio.components.base.Component',
  'gradio.components.base.FormComponent',
  'gradio.components.Component',
  'gradio.components.FormComponent',
  ...['File', 'FileExplorer', 'Image', 'Textbox', 'Dropdown', 'Audio', 'Video', 'Gallery', 'JSON'].map(
    (c) => `gradio.${c}`,
  ),
];

/** Methods of a Blocks component that register an event listener: the function gets the inputs' values. */
const EVENTS = ['click', 'change', 'submit', 'input', 'select', 'upload', 'blur', 'release'];

/**
 * Gradio: a web UI whose functions receive what the browser sends. A component's `preprocess`
 * turns the client's payload into the value the app's function gets, a `@server` method of a
 * component is called by the browser with its arguments, and the functions of an `Interface` or
 * of an event listener (`btn.click(fn, inputs, outputs)`) receive the input components' values.
 * The path a `preprocess` joins from the client's segments is one the app then opens. A
 * component's `postprocess` is another case: it gets what the app's function returned, which the
 * app chose: a file path there is one the app means to show, not a source. A URL there is one apps
 * often take from a user or a model (`fn=lambda url: url, outputs=gr.Image()`), and Gradio's own
 * contract is to fetch such URLs only through its private-address filter (it downloads an output's
 * URL with `ssrf_protected_download`): `postprocess`'s value is a source for SSRF alone, reported
 * at medium confidence. `request: gr.Request` is the HTTP request; a `progress=gr.Progress()`
 * parameter is a tracker Gradio injects.
 */
export default defineModel({
  name: 'gradio',
  callbacks: [
    {
      bases: COMPONENTS,
      methods: ['preprocess'],
      chosenBy: 'client',
      what: 'client payload',
      // Before `preprocess`, Gradio rejects a payload's file outside its upload folder.
      checkedTypes: {
        types: ['FileData', 'ListFiles', 'ImageData'].flatMap((t) => [
          `gradio.data_classes.${t}`,
          `gradio.${t}`,
        ]),
        cwe: [22, 73],
      },
    },
    {
      bases: COMPONENTS,
      methods: ['postprocess'],
      chosenBy: 'application',
      onlyFor: [918],
      what: 'value the app returned to show',
    },
    {
      decorators: ['gradio.components.base.server', 'gradio.server'],
      chosenBy: 'client',
      what: 'argument of a browser-called method',
    },
    {
      registrations: [
        {
          calls: ['gradio.Interface', 'gradio.ChatInterface', ...EVENTS.map((e) => `.${e}`)],
          arg: 0,
          keyword: 'fn',
        },
      ],
      imports: ['gradio'],
      chosenBy: 'client',
      what: 'input value',
    },
  ],
  sinks: [
    {
      // The path a component's `preprocess` joins from the client's segments and returns is the
      // file the app's function gets (a file explorer's selection): an absolute or `..` segment
      // leaves its root. One checked before it is returned is not reported.
      concept: 'file-access',
      calls: ['os.path.join'],
      args: [1, 2, 3],
      splats: true,
      within: { bases: COMPONENTS, methods: ['preprocess'], returned: true },
      what: 'path the component hands to the app',
    },
  ],
  requestTypes: ['gradio.Request', 'gradio.routes.Request'],
  routeParameters: { dependencyMarkers: ['gradio.Progress'] },
});

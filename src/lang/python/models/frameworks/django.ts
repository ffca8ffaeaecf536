import {
  defineModel,
  OWN_URL,
  requestAttributes,
  sanitizers,
  SET_COOKIE_FLAG_POSITIONS,
} from '../concepts.js';
import { INJECTION_CWES } from '../../../../dataflow/concepts.js';

const QUERYSET = /\bobjects\b|_set\b|QuerySet|queryset/;

/** Django (its HttpRequest attributes hold the input of a view's `request` parameter). */
export default defineModel({
  name: 'django',
  requestTypes: ['django.http.HttpRequest', 'django.http.request.HttpRequest'],
  // The URL pattern that routing matched.
  requestApplicationAttributes: ['resolver_match', 'urlconf'],
  sources: [
    ...requestAttributes('parameters', ['GET', 'POST']),
    ...requestAttributes('body', ['body']),
    ...requestAttributes('cookies', ['COOKIES']),
    ...requestAttributes('environ', ['META']),
    ...requestAttributes('files', ['FILES']),
    ...requestAttributes('url', ['path', 'path_info'], OWN_URL),
  ],
  environAttributes: ['META'],
  // URLs of the application's own views, and of its models' pages.
  internalUrls: ['django.urls.reverse', 'django.urls.reverse_lazy', '.get_absolute_url'],
  cookieSettings: {
    secure: ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE'],
    httponly: ['SESSION_COOKIE_HTTPONLY'],
    samesite: ['SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE'],
  },
  requestParameterNames: ['request'],
  recordBases: ['django.db.models.Model', 'django.db.models.base.Model'],
  recordForms: ['django.forms.ModelForm', 'django.forms.models.ModelForm'],
  // `clean_<field>` checks the field's value before it is saved.
  recordFormChecks: [{ methodPrefixes: ['clean_'] }],
  // Its editing views save their `form_class` (or the form made from `model` and `fields`) on POST.
  recordViews: [
    {
      bases: [
        'django.views.generic.CreateView',
        'django.views.generic.UpdateView',
        'django.views.generic.edit.CreateView',
        'django.views.generic.edit.UpdateView',
      ],
      attribute: 'form_class',
    },
  ],
  summaries: {
    // A row looked up by the client's key is the database's data, not the key.
    recordCalls: ['django.shortcuts.get_object_or_404', 'django.shortcuts.get_list_or_404'],
    // The user the authentication backends find for the credentials, or None: not their text.
    optionalRecordCalls: ['django.contrib.auth.authenticate'],
    // A method computed once per instance and then read as an attribute.
    propertyDecorators: ['django.utils.functional.cached_property'],
    queryMethods: [
      {
        // A manager by name (`Document.objects`, a `manager` chosen between two of them), or a chain
        // through a method only a queryset has.
        receiver: /objects\b|_set\b|queryset|manager\b|\.(select_related|prefetch_related|annotate)\(/i,
        methods: [
          ...['get', 'first', 'last', 'earliest', 'latest', 'get_or_create', 'update_or_create', 'in_bulk'],
          // Querysets: the rows they hold, whatever the filter that chose them.
          ...['all', 'filter', 'exclude', 'order_by', 'select_related', 'prefetch_related', 'distinct'],
        ],
        // Field lookups on any manager or queryset (`finding.files.filter(id=file_id)`).
        keywordLookups: true,
      },
      // A ModelForm's saved instance: the model's row, read back as stored data (`form.save(commit=False)`).
      { receiver: /(^|[._])form$/i, methods: ['save'] },
    ],
  },
  // Its URL patterns pass the path's parameters to the view after the request.
  urlParametersAfterRequestImports: ['django'],
  // `path('items/<int:pk>', view)`, `re_path(r'^items/(?P<pk>\d+)$', view)`: a slug has no '/',
  // '.', ':' or '<'.
  routeParameters: {
    typedConverters: ['int', 'uuid', 'slug'],
    patternFunctions: ['django.urls.path', 'django.urls.re_path', 'django.conf.urls.url'],
  },
  terminatingCalls: [{ call: 'django.shortcuts.get_object_or_404', onlyOnFailure: true }],
  // A user that authenticated, a row the request only selected: application data for the
  // session (CWE-501), though a field of it may still hold text a user wrote.
  sanitizerMethods: ['get', 'first', 'last', 'earliest', 'latest'].map((method) => ({
    method,
    cwe: [501],
    receiver: QUERYSET,
  })),
  // QueryDict's getters.
  requestMethods: ['get', 'getlist'],
  sinks: [
    // Django's template language runs no Python, but a template the client writes can read every
    // variable of the context and call its methods.
    {
      concept: 'template-compilation',
      calls: ['django.template.Template', 'django.template.Engine().from_string'],
      keywords: ['template_string'],
    },
    // A backend the TEMPLATES setting configures (`engines["jinja"]`): Django's own language, or
    // Jinja2 with the environment the settings name (unsandboxed unless they name a sandbox).
    {
      concept: 'template-compilation',
      calls: ['django.template.engines.__getitem__().from_string'],
      keywords: ['template_code'],
    },
    { concept: 'redirect', calls: ['django.shortcuts.redirect'], keywords: ['to'] },
    {
      concept: 'redirect',
      calls: ['django.http.HttpResponseRedirect', 'django.http.HttpResponsePermanentRedirect'],
      keywords: ['redirect_to'],
    },
    {
      concept: 'http-response-body',
      calls: ['django.http.HttpResponse'],
      keywords: ['content'],
      contentType: 'text/html',
      contentTypeArguments: [{ arg: 1, keyword: 'content_type' }],
      headersArgument: { keyword: 'headers' },
    },
    // Serialized as JSON: no HTML, whatever it holds.
    { concept: 'http-response-body', calls: ['django.http.JsonResponse'], contentType: 'application/json' },
    { concept: 'safe-html', calls: ['django.utils.safestring.mark_safe'], keywords: [] },
    {
      concept: 'safe-html',
      calls: [
        'django.utils.html.mark_safe',
        'django.utils.safestring.SafeString',
        'django.utils.safestring.SafeText',
        'django.utils.safestring.SafeUnicode',
        'django.utils.safestring.SafeBytes',
      ],
      keywords: [],
      untraced: true,
    },
    { concept: 'safe-html', calls: ['django.utils.html.format_html'], keywords: [], escapesArguments: true },
    { concept: 'session-store', stores: [{ attribute: 'session' }] },
    {
      concept: 'cookie-setting',
      calls: ['.set_cookie'],
      args: [1],
      keywords: ['value'],
      flagPositions: SET_COOKIE_FLAG_POSITIONS,
    },
    {
      concept: 'sql-execution',
      calls: ['django.db.models.expressions.RawSQL', 'django.db.models.RawSQL'],
      keywords: ['sql'],
      what: 'SQL',
      level: 'orm',
    },
    // Manager.raw() and QuerySet.raw() / .extra(), told by their receiver.
    {
      concept: 'sql-execution',
      calls: ['.raw'],
      keywords: ['raw_query'],
      receiver: QUERYSET,
      what: 'query',
      level: 'orm',
    },
    {
      // Parameters pasted into the SQL text, by position and name (`params` are escaped).
      concept: 'sql-execution',
      calls: ['.extra'],
      args: [0, 1, 3, 4],
      keywords: ['select', 'where', 'tables', 'order_by'],
      receiver: QUERYSET,
      level: 'orm',
    },
  ],
  sanitizers: [
    ...sanitizers(
      [79],
      [
        'django.utils.html.escape',
        'django.utils.html.conditional_escape',
        'django.shortcuts.render',
        // An autoescaping template's output.
        'django.template.loader.render_to_string',
      ],
    ),
    ...sanitizers([22], ['django.utils.text.get_valid_filename']),
    ...sanitizers([601], ['django.utils.http.url_has_allowed_host_and_scheme']),
    // A value out of a signature check was signed by the application (a redirect target it chose).
    ...sanitizers(INJECTION_CWES, [
      'django.core.signing.loads',
      'django.core.signing.Signer().unsign',
      'django.core.signing.Signer().unsign_object',
      'django.core.signing.TimestampSigner().unsign',
      'django.core.signing.TimestampSigner().unsign_object',
    ]),
  ],
  guards: [
    { call: 'django.utils.http.url_has_allowed_host_and_scheme', arg: 0, keyword: 'url' },
    { call: 'django.utils.http.is_safe_url', arg: 0, keyword: 'url' },
    // Projects' own copies (Flask's snippet, Flask-Login-style helpers) check the same.
    { function: 'url_has_allowed_host_and_scheme', arg: 0, keyword: 'url', cwe: [601] },
    { function: 'is_safe_url', arg: 0, keyword: 'url', cwe: [601] },
  ],
  // The admin site's views run behind `admin_view` (active staff users only), except its login
  // page and what that page uses; `staff_member_required` and a `user_passes_test` reading
  // `is_superuser` or `is_staff` guard a view the same way.
  adminGuards: {
    decorators: [
      'django.contrib.admin.views.decorators.staff_member_required',
      'django.contrib.auth.decorators.staff_member_required',
    ],
    userTests: ['django.contrib.auth.decorators.user_passes_test'],
    userFlags: ['is_superuser', 'is_staff'],
    adapters: ['django.utils.decorators.method_decorator'],
    handlerClasses: [
      {
        bases: [
          'django.contrib.admin.ModelAdmin',
          'django.contrib.admin.options.ModelAdmin',
          'django.contrib.admin.options.BaseModelAdmin',
          'django.contrib.admin.TabularInline',
          'django.contrib.admin.StackedInline',
          'django.contrib.admin.options.InlineModelAdmin',
          'django.contrib.admin.options.TabularInline',
          'django.contrib.admin.options.StackedInline',
        ],
      },
      {
        bases: ['django.contrib.admin.AdminSite', 'django.contrib.admin.sites.AdminSite'],
        publicMethods: [
          'login',
          'catch_all_view',
          'has_permission',
          'each_context',
          'get_app_list',
          'i18n_javascript',
        ],
      },
    ],
    viewWrappers: ['admin_view'],
  },
});

import { defineModel, requestAttributes } from '../concepts.js';

/** Django REST framework's Request. */
export default defineModel({
  name: 'drf',
  sources: [...requestAttributes('body', ['data']), ...requestAttributes('parameters', ['query_params'])],
  // Its Response is rendered by the negotiated renderer: JSON by default, not HTML.
  sinks: [
    {
      concept: 'http-response-body',
      calls: ['rest_framework.response.Response'],
      keywords: ['data'],
      contentType: 'application/json',
    },
    // An API exception's `detail` is rendered into the error response.
    {
      concept: 'http-error-response',
      calls: ['rest_framework.exceptions.APIException', 'rest_framework.exceptions.ValidationError'],
      keywords: ['detail'],
    },
  ],
  // A model serializer's `save()` writes its `Meta.fields` from the data it validated.
  recordForms: [
    'rest_framework.serializers.ModelSerializer',
    'rest_framework.serializers.HyperlinkedModelSerializer',
  ],
  // Its routers, like Django's URL patterns, pass the path's parameters after the request.
  urlParametersAfterRequestImports: ['rest_framework'],
  // Every permission class listed must pass; `IsAdminUser` admits only staff users.
  adminGuards: {
    permissionAttributes: ['permission_classes'],
    permissionDecorators: ['rest_framework.decorators.permission_classes'],
    permissions: ['rest_framework.permissions.IsAdminUser'],
  },
});

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
  // A model serializer's `save()` writes its `Meta.fields` from the data it validated (also
  // drf-writable-nested's, which saves nested serializers' rows as well).
  recordForms: [
    'rest_framework.serializers.ModelSerializer',
    'rest_framework.serializers.HyperlinkedModelSerializer',
    'drf_writable_nested.WritableNestedModelSerializer',
    'drf_writable_nested.serializers.WritableNestedModelSerializer',
  ],
  // `validate_<field>` checks the field's value; `read_only_fields` are only shown, never saved.
  recordFormChecks: [{ methodPrefixes: ['validate_'], readOnlyMeta: ['read_only_fields'] }],
  // Its generic views and viewsets that create or update save their `serializer_class` from
  // `request.data` (read-only ones, and a list or a retrieve view, save nothing).
  recordViews: [
    {
      bases: [
        'rest_framework.mixins.CreateModelMixin',
        'rest_framework.mixins.UpdateModelMixin',
        'rest_framework.viewsets.ModelViewSet',
        'rest_framework.generics.CreateAPIView',
        'rest_framework.generics.UpdateAPIView',
        'rest_framework.generics.ListCreateAPIView',
        'rest_framework.generics.RetrieveUpdateAPIView',
        'rest_framework.generics.RetrieveUpdateDestroyAPIView',
      ],
      attribute: 'serializer_class',
    },
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

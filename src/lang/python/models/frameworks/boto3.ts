import { defineModel } from '../concepts.js';

/**
 * boto3 (AWS SDK): a presigned URL is made for the endpoint the client was configured with; the
 * bucket, key and parameters only pick an object and its response there, never the host, so a
 * redirect or a request to it stays on that storage service.
 */
export default defineModel({
  name: 'boto3',
  sanitizerMethods: ['generate_presigned_url', 'generate_presigned_post'].map((method) => ({
    method,
    cwe: [601, 918],
  })),
});

import { defineRule } from '../../../../rules/rule.js';
import { weakRedirectCheck } from '../../dataflow/guards.js';

export default defineRule({
  id: 'javascript/open-redirect',
  title: 'Redirect to a URL from request data',
  cwe: 601,
  severity: 'medium',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['redirect'],
  description:
    'Request data is the target of res.redirect (Express, NestJS, Next.js API routes), ctx.redirect (Koa), reply.redirect (Fastify), h.redirect (Hapi), or the redirect() and NextResponse.redirect() of Next.js. A client-built link then sends users to any site, under the trust of this one (phishing, token theft). A target that starts with a constant path (/account/ + x) or fixes scheme and host cannot leave the site and is not reported, nor one checked to start with / followed by neither / nor \\ (browsers read //host and /\\host as another site, so a check that misses either is not enough). High confidence: the flow is proven.',
  fix: 'Redirect only to paths of this site (a constant prefix, or a checked allow-list of hosts).',
  taint: {
    concepts: ['redirect'],
    // A partial check on the way is named; otherwise the default message.
    message: (hit) => {
      const weak = weakRedirectCheck(hit.flow.map((s) => s.note));
      return weak
        ? `${hit.sinkLabel} receives a redirect target built from ${hit.sourceText}; ${weak}.`
        : undefined;
    },
  },
});

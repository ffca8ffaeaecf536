import { describe, expect, it } from 'vitest';
import { sinkKinds } from './helpers.js';

const P = { sources: [{ parameter: 'src' }] };

/**
 * A method (not memoized) whose one call takes a little over half of a root's budget, and whose
 * result, an object holding its argument's data, leaves no summary: a second run of it in the same
 * root would spend the rest of the budget.
 */
const STORE = `
class Store:
    def fetch(self, v):
        out = ""
        for i in ${JSON.stringify([...Array(20).keys()])}:
            for j in ${JSON.stringify([...Array(40).keys()])}:
                for k in [0, 1]:
                    out = out + "a"
        return {"value": v, "pad": out}

    def is_allowed(self, v):
        out = ""
        for i in ${JSON.stringify([...Array(20).keys()])}:
            for j in ${JSON.stringify([...Array(40).keys()])}:
                for k in [0, 1]:
                    out = out + "a"
        if v.isalnum():
            return True
        return False
`;

describe('a project call in a condition is run once', () => {
  it('a flag assigned from a call that is no check: the branch after it is reached', async () => {
    const kinds = await sinkKinds(
      `${STORE}
def handler(src):
    result = Store().fetch(src)
    if result:
        sink(src)
`,
      P,
    );
    expect(kinds).toEqual(['24: tainted']);
  });

  it('a call tested in place: the branch after it is reached', async () => {
    const kinds = await sinkKinds(
      `${STORE}
def handler(src):
    if Store().fetch(src):
        sink(src)
`,
      P,
    );
    expect(kinds).toEqual(['23: tainted']);
  });

  it("a project check's flag and its call in place still prove their argument, from the value already known", async () => {
    const kinds = await sinkKinds(
      `${STORE}
def flagged(src):
    ok = Store().is_allowed(src)
    if ok:
        sink(src)
    sink(src)

def in_place(src):
    if Store().is_allowed(src):
        sink(src)
    sink(src)
`,
      P,
    );
    expect(kinds).toEqual(['24: clean', '25: tainted', '29: clean', '30: tainted']);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, OWNER_LABEL, synthesizeStore } from '../../../constructs/index.js';
import { aSpec, allObjects, fakeSecrets } from './fixtures.js';

const namespaceOf = (ownerId?: string) =>
  allObjects(synthesizeStore({ spec: aSpec(), secrets: fakeSecrets(), platform: DEFAULT_PLATFORM_SETTINGS, ...(ownerId !== undefined ? { ownerId } : {}) }))
    .find((o) => o.kind === 'Namespace')!;

describe('the owner label', () => {
  it('labels the store namespace with its owner, and nothing else', () => {
    const withOwner = synthesizeStore({ spec: aSpec(), secrets: fakeSecrets(), platform: DEFAULT_PLATFORM_SETTINGS, ownerId: 'acme' });
    const labelled = allObjects(withOwner).filter((o) => (o.metadata?.labels as Record<string, string> | undefined)?.[OWNER_LABEL] !== undefined);
    expect(labelled.map((o) => o.kind)).toEqual(['Namespace']);
    expect(namespaceOf('acme').metadata?.labels).toMatchObject({ 'store-platform.io/owner': 'acme' });
  });

  it('leaves the label out without an owner', () => {
    expect(Object.keys(namespaceOf().metadata?.labels ?? {})).not.toContain(OWNER_LABEL);
  });

  it('fails on an owner id that is no label value', () => {
    expect(() => namespaceOf('Not A Label')).toThrow(/owner id must be a label value.*'Not A Label'/);
  });
});

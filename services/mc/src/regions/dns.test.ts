import { dnsSanitize } from './dns';

describe('dnsSanitize', () => {
  it('sanitises as the original', () => {
    expect(dnsSanitize('EU_West 1.a&b,c!')).toBe('eu-west1abc');
    expect(dnsSanitize('US_')).toBe('us');
    expect(dnsSanitize('local')).toBe('local');
  });
});

import { classifyHeadline } from '../../../domain/market/news-stream';

describe('classifyHeadline', () => {
  it.each([
    ['Bitcoin hodler unrealized profits near 350% as $100K risks sell-off', 'micro'],
    ['Ethereum ETF inflows top $250M', 'micro'],
    ['Fed holds rates steady as Powell flags inflation risks', 'macro'],
    ['US CPI rises 0.3% in June; jobs report next', 'macro'],
    ['Stocks slide as tariff fears lift the dollar', 'macro'],
    ['ECB cuts rates again', 'macro'],
    ['Bitcoin slips as Fed, CPI and Treasury yields weigh', 'macro'],
    ['Bitcoin rallies after the Fed decision', 'micro'],
  ] as const)('%s -> %s', (headline, stream) => {
    expect(classifyHeadline(headline)).toBe(stream);
  });

  it('does not match macro words inside other words (fed in "fedora", rate in "pirate")', () => {
    expect(classifyHeadline('Pirate fedora auction draws crowds')).toBe('micro');
  });
});

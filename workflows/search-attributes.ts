import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes that make runs findable in the UI; registered by scripts/server and the test server. */
export const SA = {
  symbol: defineSearchAttributeKey('DeskSymbol', SearchAttributeType.KEYWORD),
  mode: defineSearchAttributeKey('DeskMode', SearchAttributeType.KEYWORD),
  session: defineSearchAttributeKey('DeskSession', SearchAttributeType.KEYWORD),
  barTime: defineSearchAttributeKey('DeskBarTime', SearchAttributeType.DATETIME),
  decision: defineSearchAttributeKey('DeskDecision', SearchAttributeType.KEYWORD),
  /** Final risk verdict of a review: `DeskVerdict="hard_fail"` finds every rejected order. */
  verdict: defineSearchAttributeKey('DeskVerdict', SearchAttributeType.KEYWORD),
  /** An iteration's order waiting for the operator: `pending`, then `approved`, `rejected`, `timed_out` or `cancelled` (docs/approval.md). */
  approval: defineSearchAttributeKey('DeskApproval', SearchAttributeType.KEYWORD),
} as const;

/** name → type, for `temporal server start-dev --search-attribute` and the operator API. */
export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Keyword' | 'Datetime'> = {
  DeskSymbol: 'Keyword',
  DeskMode: 'Keyword',
  DeskSession: 'Keyword',
  DeskBarTime: 'Datetime',
  DeskDecision: 'Keyword',
  DeskVerdict: 'Keyword',
  DeskApproval: 'Keyword',
};
